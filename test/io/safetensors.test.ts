/** @file Round trips through safetensors bytes: every dtype, 0-d and size-0 tensors, exact bits, names from tree paths, metadata. */
import { describe, expect, test } from "vitest";
import * as E from "fp-ts/lib/Either.js";
import * as ops from "../../src/core/ops.js";
import { io, jit, nn, random, tree as tree_, TraceError, zeros, type Tensor } from "../../src/index.js";
import type { AnyTensor } from "../../src/core/ops.js";
import { DonatedError } from "../../src/core/errors.js";
import { expectThrown } from "../reliability/expect-error.js";

const right = <A>(e: E.Either<Error, A>): A => {
  if (E.isLeft(e)) throw e.left;
  return e.right;
};

/** The bits of a tensor's storage, so NaN payloads and −0 are compared exactly. */
const bits = (t: AnyTensor) => {
  const d = t.data();
  return Array.from(new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
};

describe("round trips", () => {
  const f32 = new Float32Array([1.5, -0, Infinity, -Infinity, NaN, 3.4028234663852886e38, 1e-45]);
  // A signalling-NaN pattern and a NaN with a payload: moved as bits, never as JS numbers.
  new Uint32Array(f32.buffer)[4] = 0x7fa00001;
  const f64 = new Float64Array([Math.PI, -0, NaN, Number.MAX_VALUE, 5e-324]);
  new Uint32Array(f64.buffer)[5] = 0x7ff00001; // high word of element 2 (little-endian host): a signalling NaN
  const tree = {
    f32: ops.fromStorage(f32, [7], "float32"),
    f64: ops.fromStorage(f64, [5], "float64"),
    i32: ops.fromValues([-(2 ** 31), -1, 0, 1, 2 ** 31 - 1, 7], [2, 3], "int32"),
    bool: ops.fromValues([1, 0, 0, 1, 1], [5, 1], "bool"),
    scalars: { f32: ops.fromValues([2.5], [], "float32"), f64: ops.fromValues([-1e300], [], "float64"), i32: ops.fromValues([42], [], "int32"), bool: ops.fromValues([1], [], "bool") },
    empty: [ops.fromValues([], [0], "float32"), ops.fromValues([], [3, 0, 2], "float64"), ops.fromValues([], [0, 4], "int32"), ops.fromValues([], [0], "bool")],
  };

  test("every dtype, including 0-d and size-0 tensors, comes back with the same dtype, shape and bits", () => {
    const back = right(io.loadSafetensors(io.saveSafetensors(tree), tree));
    const before = tree_.leaves(tree) as AnyTensor[];
    const after = tree_.leaves(back) as AnyTensor[];
    expect(after).toHaveLength(12);
    before.forEach((a, i) => {
      const b = after[i];
      expect(b).not.toBe(a);
      expect([b.dtype, b.shape]).toEqual([a.dtype, a.shape]);
      expect(bits(b)).toEqual(bits(a));
    });
  });

  test("the header lists dtypes F32/F64/I32/BOOL and names from the tree paths; data is aligned", () => {
    const bytes = io.saveSafetensors(tree);
    const n = new DataView(bytes.buffer).getUint32(0, true);
    expect(n % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    expect(Object.keys(header)).toEqual([
      "f64",
      "scalars.f64",
      "empty.1",
      "f32",
      "scalars.f32",
      "empty.0",
      "i32",
      "scalars.i32",
      "empty.2",
      "bool",
      "scalars.bool",
      "empty.3",
    ].sort((a, b) => order(header[a]) - order(header[b]) || (a < b ? -1 : 1)));
    expect(header["scalars.f32"]).toMatchObject({ dtype: "F32", shape: [] });
    expect(header["empty.1"]).toMatchObject({ dtype: "F64", shape: [3, 0, 2] });
    expect(header.i32).toMatchObject({ dtype: "I32", shape: [2, 3] });
    expect(header.bool).toMatchObject({ dtype: "BOOL", shape: [5, 1] });
    for (const e of Object.values(header) as { dtype: string; data_offsets: [number, number] }[]) {
      const size = { F64: 8, F32: 4, I32: 4, BOOL: 1 }[e.dtype]!;
      expect((8 + n + e.data_offsets[0]) % size).toBe(0);
    }
  });

  test("a model's parameters keep their names: 0.w, 0.b, 2.w, 2.b", () => {
    const model = nn.serial(nn.dense(3, 4), nn.relu, nn.dense(4, 2));
    const params = model.init(random.key(1));
    const names = [...right(io.readSafetensors(io.saveSafetensors(params))).tensors.keys()].sort();
    expect(names).toEqual(["0.b", "0.w", "2.b", "2.w"]);
    const back = right(io.loadSafetensors(io.saveSafetensors(params), params));
    expect(back[0].w.toArray()).toEqual(params[0].w.toArray());
    expect(back[1]).toEqual({});
  });

  test("nested records and arrays: encoder.layers.1.b", () => {
    const t = { encoder: { layers: [{ b: zeros([2]) }, { b: zeros([3]) }] }, head: null, extra: undefined };
    const contents = right(io.readSafetensors(io.saveSafetensors(t)));
    expect([...contents.tensors.keys()].sort()).toEqual(["encoder.layers.0.b", "encoder.layers.1.b"]);
    const back = right(io.loadSafetensors(io.saveSafetensors(t), t));
    expect(back.head).toBeNull();
    expect(back.encoder.layers[1].b.shape).toEqual([3]);
  });

  test("same tree, same bytes; metadata keys sorted, non-ASCII names and values kept", () => {
    const t = { "größe": zeros([1]), "😀": zeros([1]), "\u{e000}": zeros([1]) };
    const a = io.saveSafetensors(t, { z: "1", a: "ü\n\"" });
    expect(io.saveSafetensors(t, { a: 'ü\n"', z: "1" })).toEqual(a);
    const contents = right(io.readSafetensors(a));
    // Code-point order (the UTF-8 byte order the reference sorts by): U+E000 before U+1F600.
    expect([...contents.tensors.keys()]).toEqual(["größe", "\u{e000}", "😀"]);
    expect({ ...contents.metadata }).toEqual({ a: 'ü\n"', z: "1" });
  });
});

describe("what cannot be saved throws, naming the path", () => {
  test("a leaf that is not a tensor", () => {
    expectThrown(() => io.saveSafetensors({ a: { lr: 0.1 } } as never), TypeError, /io\.saveSafetensors: "a\.lr" is the number 0\.1, not a tensor/);
    expectThrown(() => io.saveSafetensors({ f: new Map() } as never), TypeError, /"f" is an object of class Map/);
  });
  test("a bare tensor, two leaves with one name, the metadata key as a name", () => {
    expectThrown(() => io.saveSafetensors(zeros([2])), TypeError, /single tensor with no name/);
    expectThrown(() => io.saveSafetensors({ "a.b": zeros([1]), a: { b: zeros([1]) } }), TypeError, /two leaves are both named "a\.b"/);
    expectThrown(() => io.saveSafetensors({ __metadata__: zeros([1]) }), TypeError, /may not be named "__metadata__"/);
  });
  test("metadata that is not strings, and unpaired surrogates", () => {
    expectThrown(() => io.saveSafetensors({}, { epoch: 3 } as never), TypeError, /metadata "epoch" must be a string/);
    expectThrown(() => io.saveSafetensors({ ["\ud800"]: zeros([1]) }), TypeError, /unpaired surrogate/);
  });
  test("a traced tensor, and a donated one", () => {
    expectThrown(() => jit((x: Tensor<[2]>) => (io.saveSafetensors({ x }), x))(zeros([2])), TraceError, /"x" is traced inside jit or vmap/);
    const f = jit((x: Tensor<[2]>) => x.mul(2), { donate: [0] });
    const x = zeros([2]);
    f(x);
    expectThrown(() => io.saveSafetensors({ x }), DonatedError, /donated/);
  });
});

function order(e: { dtype: string }): number {
  return ["F64", "F32", "I32", "BOOL"].indexOf(e.dtype);
}
