/**
 * @file The web page's logic that needs no browser, run in Node: the drawing made MNIST-like,
 * the digit files the build writes and their decoding, the models' weights as checked
 * safetensors bytes, and a reduced training run as the worker does it. The page itself, in
 * Chromium, is scripts/browser-test.mjs.
 */
import { gzipSync } from "node:zlib";
import * as E from "fp-ts/lib/Either.js";
import { describe, expect, test } from "vitest";
import { io, zeros } from "../../src/index.js";
import { loadMnistPackage } from "../../src/node.js";
import { digitsFromIdx, split } from "../../examples/web/digits.js";
import { classify, fromBytes, initial, toBytes, type Weights } from "../../examples/web/models.js";
import { toMnist } from "../../examples/web/preprocess.js";
import { train, type TrainReport, type TrainRequest } from "../../examples/web/training.js";
import { mnistPackageAsIdx, ubyteIdx } from "../../scripts/web/build.mjs";

const mnist = E.getOrElseW((e: Error) => {
  throw e;
})(loadMnistPackage());
const idx = mnistPackageAsIdx() as { images: Uint8Array; labels: Uint8Array };

/** A `scale`× enlargement of a 28×28 image, as a drawing on a larger pad would be. */
function enlarge(image: ArrayLike<number>, scale: number): Float32Array {
  const side = 28 * scale;
  const out = new Float32Array(side * side);
  for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) out[y * side + x] = image[Math.floor(y / scale) * 28 + Math.floor(x / scale)];
  return out;
}

function moments(image: ArrayLike<number>): { mass: number; cx: number; cy: number; width: number; height: number } {
  let mass = 0, sx = 0, sy = 0;
  let left = 28, right = -1, top = 28, bottom = -1;
  for (let i = 0; i < 28; i++) {
    for (let j = 0; j < 28; j++) {
      const v = image[i * 28 + j];
      mass += v;
      sx += v * (j + 0.5);
      sy += v * (i + 0.5);
      if (v > 0.05) [left, right, top, bottom] = [Math.min(left, j), Math.max(right, j), Math.min(top, i), Math.max(bottom, i)];
    }
  }
  return { mass, cx: sx / mass, cy: sy / mass, width: right - left + 1, height: bottom - top + 1 };
}

describe("web page: a drawing made MNIST-like", () => {
  test("a blank drawing is no image; a size that does not match the values is a RangeError", () => {
    expect(toMnist(new Float32Array(100 * 80), 100, 80)).toBeNull();
    expect(() => toMnist(new Float32Array(10), 4, 4)).toThrow(/toMnist: 10 values for a 4×4 drawing/);
  });

  test("a bar drawn anywhere, at any size, becomes one fitting the 20×20 box with its centre of mass at the centre", () => {
    for (const [x0, y0, w, h] of [[10, 20, 30, 150], [200, 5, 60, 40], [0, 0, 280, 280]]) {
      const ink = new Float32Array(280 * 280);
      for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) ink[y * 280 + x] = 1;
      const out = toMnist(ink, 280, 280)!;
      const m = moments(out);
      expect(m.cx).toBeCloseTo(14, 5);
      expect(m.cy).toBeCloseTo(14, 5);
      // Area averaging keeps the ink: the bar's area times the scale squared.
      const scale = 20 / Math.max(w, h);
      expect(m.mass).toBeCloseTo(w * h * scale * scale, 3);
      expect(Math.max(m.width, m.height)).toBe(20);
      for (const v of out) expect(v >= 0 && v <= 1).toBe(true);
    }
  });

  test("an MNIST digit drawn ten times larger comes back as itself (MNIST was made this way)", () => {
    // MNIST centred its digits to the whole pixel; those whose centre of mass is within 0.1 px of
    // the centre must come back to within that shift. (The others come back moved by < 1 px.)
    const pixels = mnist.x.data();
    const centred: ArrayLike<number>[] = [];
    for (let i = 0; i < pixels.length / 784 && centred.length < 8; i += 7) {
      const digit = pixels.subarray(i * 784, (i + 1) * 784);
      const m = moments(digit);
      if (Math.abs(m.cx - 14) < 0.1 && Math.abs(m.cy - 14) < 0.1 && Math.max(m.width, m.height) === 20) centred.push(digit);
    }
    expect(centred).toHaveLength(8);
    for (const digit of centred) {
      const back = toMnist(enlarge(digit, 10), 280, 280)!;
      let dot = 0, aa = 0, bb = 0, worst = 0;
      for (let k = 0; k < 784; k++) {
        [dot, aa, bb] = [dot + digit[k] * back[k], aa + digit[k] ** 2, bb + back[k] ** 2];
        worst = Math.max(worst, Math.abs(digit[k] - back[k]));
      }
      expect(dot / Math.sqrt(aa * bb)).toBeGreaterThan(0.99);
      expect(worst).toBeLessThan(0.15);
    }
  });
});

describe("web page: the digit files", () => {
  test("the build's IDX header: magic, type 0x08, rank and big-endian dims", () => {
    const bytes = ubyteIdx(new Uint8Array([1, 2, 3, 4, 5, 6]), [2, 3]) as Uint8Array;
    expect(Array.from(bytes)).toEqual([0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6]);
  });

  test("the mnist package's digits survive the trip through gzipped IDX files (values to half a grey level)", async () => {
    const r = await digitsFromIdx(gzipSync(idx.images), gzipSync(idx.labels));
    if (E.isLeft(r)) throw r.left;
    expect(r.right.x.shape).toEqual([mnist.x.shape[0], 784]);
    expect(Array.from(r.right.y.data())).toEqual(Array.from(mnist.y.data()));
    const [got, want] = [r.right.x.data(), mnist.x.data()];
    let worst = 0;
    for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
    expect(worst).toBeLessThanOrEqual(0.5 / 255 + 1e-6);
  });

  test("files that do not hold digits are Lefts that say why", async () => {
    const message = async (images: Uint8Array, labels: Uint8Array) => {
      const r = await digitsFromIdx(images, labels);
      return E.isLeft(r) ? r.left.message : "Right";
    };
    const fewer = ubyteIdx(new Uint8Array(5), [5]) as Uint8Array;
    expect(await message(idx.images, fewer)).toMatch(/fromArray/);
    const eleven = ubyteIdx(new Uint8Array([3, 11]), [2]) as Uint8Array;
    const two = ubyteIdx(new Uint8Array(2 * 784), [2, 28, 28]) as Uint8Array;
    expect(await message(two, eleven)).toBe("digits-labels-idx1-ubyte.gz: label 1 is 11, not a digit");
    const wide = ubyteIdx(new Uint8Array(2 * 28 * 30), [2, 28, 30]) as Uint8Array;
    expect(await message(wide, fewer)).toBe("digits-images-idx3-ubyte.gz: expected bytes of shape [N, 28, 28], got int32 [2, 28, 30]");
    expect(await message(gzipSync(new Uint8Array([1, 2, 3])), fewer)).toMatch(/^IDX \(digits-images-idx3-ubyte\.gz\)/);
  });

  test("the split is the same every time, and a training set of the whole or nothing is a RangeError", async () => {
    const r = await digitsFromIdx(idx.images, idx.labels);
    if (E.isLeft(r)) throw r.left;
    const a = split(r.right, { train: 500, test: 100 });
    const b = split(r.right, { train: 500, test: 100 });
    expect(a.train.x.shape).toEqual([500, 784]);
    expect(a.test.x.shape).toEqual([100, 784]);
    expect(Array.from(a.test.y.data())).toEqual(Array.from(b.test.y.data()));
    expect(() => split(r.right, { train: r.right.x.shape[0], test: 10 })).toThrow(RangeError);
    expect(() => split(r.right, { train: 0, test: 10 })).toThrow(RangeError);
  });
});

describe("web page: weights as checked safetensors bytes", () => {
  const same = (a: Weights, b: Weights) => {
    const bytesA = io.saveSafetensors(a.params);
    expect(a.kind).toBe(b.kind);
    expect(io.saveSafetensors(b.params)).toEqual(bytesA);
  };

  test("both models round-trip, the kind and the metadata with them", () => {
    for (const kind of ["mlp", "cnn"] as const) {
      const w = initial(kind);
      const r = fromBytes(toBytes(w, { accuracy: "0.9" }), kind === "mlp" ? "cnn" : "mlp");
      if (E.isLeft(r)) throw r.left;
      same(r.right.weights, w);
      expect(r.right.metadata).toEqual({ accuracy: "0.9", model: kind });
    }
  });

  test("a file without a model name is checked against the fallback model", () => {
    const bare = io.saveSafetensors(initial("cnn").params);
    const asCnn = fromBytes(bare, "cnn");
    expect(E.isRight(asCnn) && asCnn.right.weights.kind).toBe("cnn");
    const asMlp = fromBytes(bare, "mlp");
    expect(E.isLeft(asMlp) && asMlp.left.message).toMatch(/^io\.loadSafetensors: .*mismatch/);
  });

  test("a mismatched, foreign or damaged file is a Left naming the path and both shapes", () => {
    const narrow = [{ w: zeros([784, 64]), b: zeros([64]) }, {}, { w: zeros([64, 10]), b: zeros([10]) }];
    const r = fromBytes(io.saveSafetensors(narrow, { model: "mlp" }), "mlp");
    expect(E.isLeft(r) && r.left.message).toContain("0.w: file has [784, 64], model expects [784, 256]");
    expect(E.isLeft(r) && r.left).toBeInstanceOf(io.IoError);
    const foreign = fromBytes(io.saveSafetensors(narrow, { model: "resnet" }), "mlp");
    expect(E.isLeft(foreign) && foreign.left.message).toBe('weights: the file is for a model "resnet"; this page has "mlp" and "cnn"');
    const damaged = fromBytes(new Uint8Array([200, 0, 0, 0, 0, 0, 0, 0, 123]), "mlp");
    expect(E.isLeft(damaged) && damaged.left.message).toMatch(/^io\.readMetadata: /);
  });

  test("classify gives ten probabilities that sum to 1, for either model", () => {
    const image = mnist.x.data().slice(0, 784);
    for (const kind of ["mlp", "cnn"] as const) {
      const p = classify(initial(kind), image);
      expect(p).toHaveLength(10);
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }
  });
});

describe("web page: a training run as the worker does it (reduced)", () => {
  const request: TrainRequest = { kind: "mlp", epochs: 2, trainSize: 640, testSize: 300, shifts: false, batchSize: 64, learningRate: 2e-3 };

  test("reports the start, every step, each epoch's checked weights; it learns", async () => {
    const all = await digitsFromIdx(idx.images, idx.labels);
    if (E.isLeft(all)) throw all.left;
    const reports: TrainReport[] = [];
    const last = train(request, split(all.right, { train: request.trainSize, test: request.testSize }), (r) => reports.push(r));
    expect(reports[0]).toEqual({ type: "start", kind: "mlp", trainDigits: 640, examples: 640, testDigits: 300, steps: 20 });
    const steps = reports.filter((r) => r.type === "step");
    expect(steps.map((s) => `${s.epoch}.${s.step}`)).toEqual([1, 2].flatMap((e) => Array.from({ length: 10 }, (_, i) => `${e}.${i + 1}`)));
    const epochs = reports.filter((r) => r.type === "epoch");
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2]);
    expect(last).toBe(epochs[1]);
    // The epoch's loss is the mean of its steps' losses (which the page plots).
    const second = steps.slice(10).reduce((a, s) => a + s.loss, 0) / 10;
    expect(last.loss).toBeCloseTo(second, 4);
    expect(last.accuracy).toBeGreaterThan(0.6);
    const loaded = fromBytes(last.bytes, "cnn");
    if (E.isLeft(loaded)) throw loaded.left;
    expect(loaded.right.weights.kind).toBe("mlp");
    expect(loaded.right.metadata).toMatchObject({ epochs: "2", steps: "20", model: "mlp" });
  });

  test("with shifts the examples are five times the digits; requests out of range are RangeErrors", async () => {
    const all = await digitsFromIdx(idx.images, idx.labels);
    if (E.isLeft(all)) throw all.left;
    const parts = split(all.right, { train: 128, test: 50 });
    const reports: TrainReport[] = [];
    train({ ...request, kind: "cnn", epochs: 1, trainSize: 128, shifts: true }, parts, (r) => reports.push(r));
    expect(reports[0]).toMatchObject({ type: "start", kind: "cnn", examples: 640, steps: 10 });
    expect(() => train({ ...request, epochs: 0 }, parts, () => {})).toThrow(/train: epochs must be an integer from 1 to 50, got 0/);
    expect(() => train({ ...request, learningRate: 2 }, parts, () => {})).toThrow(RangeError);
  }, 120_000);
});
