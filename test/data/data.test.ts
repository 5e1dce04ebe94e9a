import { describe, expect, test } from "vitest";
import * as E from "fp-ts/lib/Either.js";
import * as ops from "../../src/core/ops.js";
import type { AnyTensor } from "../../src/core/ops.js";
import { data, random } from "../../src/index.js";
import { loadMnistPackage } from "../../src/node.js";

type T = AnyTensor;

function idx(code: number, shape: number[], values: number[], width: number, write: (v: DataView, o: number, x: number) => void): Uint8Array {
  const header = 4 + 4 * shape.length;
  const bytes = new Uint8Array(header + values.length * width);
  const view = new DataView(bytes.buffer);
  bytes[2] = code;
  bytes[3] = shape.length;
  shape.forEach((d, i) => view.setInt32(4 + 4 * i, d, false));
  values.forEach((x, i) => write(view, header + i * width, x));
  return bytes;
}

describe("IDX", () => {
  const ubyte = idx(0x08, [2, 3], [0, 1, 2, 253, 254, 255], 1, (v, o, x) => v.setUint8(o, x));
  test("decodes unsigned bytes, floats, doubles and a round trip through encodeIdx", () => {
    const t = data.parseIdx(ubyte);
    expect(E.isRight(t) && (t.right as unknown as T).toArray()).toEqual([[0, 1, 2], [253, 254, 255]]);
    const f = data.parseIdx(idx(0x0d, [2], [1.5, -2], 4, (v, o, x) => v.setFloat32(o, x, false)));
    expect(E.isRight(f) && [f.right.dtype, (f.right as unknown as T).toArray()]).toEqual(["float32", [1.5, -2]]);
    const original = ops.fromValues([1.25, -3, 7], [3], "float64");
    const back = data.parseIdx(data.encodeIdx(original as never));
    expect(E.isRight(back) && (back.right as unknown as T).toArray()).toEqual([1.25, -3, 7]);
  });
  test("gzipped files are inflated", async () => {
    const gz = new Uint8Array(await new Response(new Blob([ubyte as BlobPart]).stream().pipeThrough(new CompressionStream("gzip"))).arrayBuffer());
    const t = await data.decodeIdx(gz);
    expect(E.isRight(t) && t.right.shape).toEqual([2, 3]);
    const corrupt = gz.slice(0, 12);
    const bad = await data.decodeIdx(corrupt);
    expect(E.isLeft(bad) && bad.left.message).toMatch(/gzip: truncated/);
  });
  test.each([
    ["empty", new Uint8Array(0), /fewer than the 4-byte magic/],
    ["bad magic", new Uint8Array([1, 0, 8, 1, 0, 0, 0, 0]), /two zero bytes/],
    ["unknown type", new Uint8Array([0, 0, 0x42, 0]), /unknown element type code 0x42/],
    ["short header", new Uint8Array([0, 0, 8, 2, 0, 0, 0]), /header of a rank-2 file needs 12 bytes/],
    ["truncated data", ubyte.slice(0, ubyte.length - 1), /needs 18 bytes, file has 17 \(truncated\)/],
    ["trailing bytes", new Uint8Array([...ubyte, 0]), /\(trailing bytes\)/],
    ["gzip given to parseIdx", new Uint8Array([0x1f, 0x8b, 0, 0]), /use decodeIdx/],
  ])("malformed (%s) is a Left with a clear IoError", (_name, bytes, message) => {
    const r = data.parseIdx(bytes);
    expect(E.isLeft(r)).toBe(true);
    if (E.isLeft(r)) {
      expect(r.left).toBeInstanceOf(data.IoError);
      expect(r.left.message).toMatch(message);
    }
  });
});

describe("datasets", () => {
  const x = ops.fromValues(Array.from({ length: 20 }, (_, i) => i), [10, 2], "float32");
  const y = ops.fromValues(Array.from({ length: 10 }, (_, i) => i), [10], "int32");
  const ds = { x, y } as never as data.Dataset<never, never>;
  test("batches cover every row once, shuffled by key, with an optional short last batch", () => {
    const seen: number[] = [];
    let count = 0;
    for (const b of data.batches(ds, 4, { key: random.key(1) })) {
      count++;
      const rows = (b.x as unknown as T).toArray() as number[][];
      const labels = Array.from((b.y as unknown as T).data());
      rows.forEach((r, i) => expect(r).toEqual([2 * labels[i], 2 * labels[i] + 1]));
      seen.push(...labels);
    }
    expect(count).toBe(3);
    expect([...seen].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(seen).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect([...data.batches(ds, 4, { dropRemainder: true })].length).toBe(2);
  });
  test("mismatched row counts are a ShapeError", () => {
    expect(() => [...data.batches({ x, y: ops.full([3], 0, "int32") } as never, 2)]).toThrow(/different numbers of rows: 10 vs 3/);
  });
  test("trainTestSplit and standardize", () => {
    const { train, test: held } = data.trainTestSplit(ds, 0.8, random.key(0));
    expect(train.x.shape[0]).toBe(8);
    expect(held.x.shape[0]).toBe(2);
    const s = data.standardize(ops.fromValues([1, 5, 3, 5, 5, 5], [3, 2], "float64") as never);
    const z = (s.x as unknown as T).toArray() as number[][];
    expect(z.map((r) => r[1])).toEqual([0, 0, 0]);
    const col = z.map((r) => r[0]);
    expect(col[0]).toBeCloseTo(-Math.sqrt(1.5), 12);
  });
});

test("the mnist package's 10,000 digits load as images and labels", () => {
  const m = loadMnistPackage();
  expect(E.isRight(m)).toBe(true);
  if (E.isRight(m)) {
    expect(m.right.x.shape).toEqual([10000, 28, 28]);
    const labels = Array.from(m.right.y.data());
    expect(new Set(labels).size).toBe(10);
    expect(labels.length).toBe(10000);
  }
  expect(E.isLeft(data.mnistFromDigitArrays([[1, 2]]))).toBe(true);
});
