/** @file Loading checked against the expected tree: names, dtypes, shapes (named dims too), missing and extra tensors. */
import { describe, expect, test } from "vitest";
import * as E from "fp-ts/lib/Either.js";
import { io, nn, random, zeros, ones, DTypeError } from "../../src/index.js";
import { expectThrown } from "../reliability/expect-error.js";

const message = (e: E.Either<Error, unknown>) => (E.isLeft(e) ? e.left.message : "accepted");

describe("a file that does not fit the model is a Left naming the path and both shapes", () => {
  const encoder = (width: number) => ({ encoder: { layers: [{ w: zeros([256, 256]), b: zeros([256]) }, { w: zeros([256, width]), b: zeros([width]) }] } });
  const file = io.saveSafetensors(encoder(128));

  test("one wrong shape", () => {
    const r = io.loadSafetensors(file, encoder(64));
    expect(E.isLeft(r) && r.left).toBeInstanceOf(io.IoError);
    expect(message(r)).toBe("io.loadSafetensors: 2 mismatches: encoder.layers.1.w: file has [256, 128], model expects [256, 64]; encoder.layers.1.b: file has [128], model expects [64]");
  });

  test("a model from nn: a layer one unit too wide", () => {
    const saved = nn.serial(nn.dense(4, 8), nn.relu, nn.dense(8, 3)).init(random.key(0));
    const wider = nn.serial(nn.dense(4, 8), nn.relu, nn.dense(8, 4)).init(random.key(0));
    expect(message(io.loadSafetensors(io.saveSafetensors(saved), wider))).toBe(
      "io.loadSafetensors: 2 mismatches: 2.w: file has [8, 3], model expects [8, 4]; 2.b: file has [3], model expects [4]",
    );
  });

  test("rank differs, dtype differs", () => {
    const f = io.saveSafetensors({ a: zeros([2, 3]), n: zeros([4], "int32") });
    expect(message(io.loadSafetensors(f, { a: zeros([6]), n: zeros([4], "int32") }))).toBe("io.loadSafetensors: a: file has [2, 3], model expects [6]");
    expect(message(io.loadSafetensors(f, { a: zeros([2, 3]), n: zeros([4]) }))).toBe("io.loadSafetensors: n: file has I32 (int32), model expects float32 (F32)");
    expect(message(io.loadSafetensors(f, { a: zeros([2, 3], "float64"), n: zeros([4], "int32") }))).toBe(
      "io.loadSafetensors: a: file has F32 (float32), model expects float64 (F64)",
    );
  });

  test("missing and extra names", () => {
    const f = io.saveSafetensors({ w: zeros([2]), extra: ones([1], "bool") });
    expect(message(io.loadSafetensors(f, { w: zeros([2]), b: zeros([3]) }))).toBe(
      "io.loadSafetensors: 2 mismatches: b: not in the file (model expects float32 [3]); extra: in the file (BOOL [1]) but not in the model",
    );
  });

  test("long lists are cut after 20", () => {
    const many = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`t${i}`, zeros([1])]));
    const other = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`t${i}`, zeros([2])]));
    expect(message(io.loadSafetensors(io.saveSafetensors(many), other))).toMatch(/^io\.loadSafetensors: 30 mismatches: .*; and 10 more$/);
  });
});

describe("specs: shapes and dtypes without tensors", () => {
  const f = io.saveSafetensors({ embed: zeros([100, 16]), head: { w: zeros([16, 100]), b: zeros([100]) }, steps: zeros([], "int32") });

  test("sizes, names bound from the file, dtypes", () => {
    const like = { embed: io.spec(["vocab", 16]), head: { w: io.spec([16, "vocab"]), b: io.spec(["vocab"]) }, steps: io.spec([], "int32") };
    const r = io.loadSafetensors(f, like);
    expect(E.isRight(r) && [r.right.embed.shape, r.right.head.w.shape, r.right.steps.dtype]).toEqual([[100, 16], [16, 100], "int32"]);
  });

  test("one name with two sizes is a mismatch", () => {
    const like = { embed: io.spec(["vocab", "width"]), head: { w: io.spec(["width", "vocab"]), b: io.spec(["width"]) }, steps: io.spec([], "int32") };
    expect(message(io.loadSafetensors(f, like))).toBe("io.loadSafetensors: head.b: file has [100], model expects [width] with width = 16 (as in embed)");
  });

  test("a template mixing tensors and specs", () => {
    const r = io.loadSafetensors(f, { embed: zeros([100, 16]), head: { w: io.spec([16, 100]), b: io.spec([100]) }, steps: io.spec([], "int32") });
    expect(E.isRight(r)).toBe(true);
  });

  test("bad specs and templates are programming errors and throw", () => {
    expectThrown(() => io.spec([2, -1]), RangeError, /io\.spec: dim -1 of \[2, -1\] is neither a size/);
    expectThrown(() => io.spec([2.5]), RangeError, /io\.spec: dim 2\.5/);
    expectThrown(() => io.spec([2], "float16" as never), DTypeError, /io\.spec: unknown dtype "float16"/);
    expectThrown(() => io.loadSafetensors(f, { embed: [100, 16] } as never), TypeError, /io\.loadSafetensors: "embed\.0" is the number 100, not a tensor or io\.spec/);
  });
});

describe("readSafetensors and readMetadata", () => {
  test("every tensor by name; metadata as a record; no metadata is an empty record", () => {
    const r = io.readSafetensors(io.saveSafetensors({ a: ones([2]), b: [zeros([1], "int32")] }, { note: "x" }));
    expect(E.isRight(r) && [...r.right.tensors.keys()]).toEqual(["a", "b.0"]);
    expect(E.isRight(r) && { ...r.right.metadata }).toEqual({ note: "x" });
    const m = io.readMetadata(io.saveSafetensors({ a: ones([2]) }));
    expect(E.isRight(m) && Object.keys(m.right)).toEqual([]);
  });

  test("an ArrayBuffer, and a Uint8Array that is a window into a larger buffer", () => {
    const bytes = io.saveSafetensors({ a: ones([3]) });
    expect(E.isRight(io.loadSafetensors(bytes.slice().buffer, { a: zeros([3]) }))).toBe(true);
    const big = new Uint8Array(bytes.length + 13);
    big.set(bytes, 5);
    const r = io.loadSafetensors(big.subarray(5, 5 + bytes.length), { a: zeros([3]) });
    expect(E.isRight(r) && r.right.a.toArray()).toEqual([1, 1, 1]);
  });
});
