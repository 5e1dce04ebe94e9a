import { describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import { TraceError, jit, makeJaxpr } from "../../src/index.js";

describe("Tensor members", () => {
  const m = ops.fromValues([1, 2.5, -3, 4], [2, 2], "float32");
  test("shape, dtype, size, ndim", () => {
    expect(m.shape).toEqual([2, 2]);
    expect(m.dtype).toBe("float32");
    expect(m.size).toBe(4);
    expect(m.ndim).toBe(2);
  });
  test("toArray nests; data copies; item reads a single element", () => {
    expect(m.toArray()).toEqual([[1, 2.5], [-3, 4]]);
    const d = m.data();
    d[0] = 100;
    expect(m.toArray()).toEqual([[1, 2.5], [-3, 4]]);
    expect(ops.full([], 7, "int32").item()).toBe(7);
    expect(ops.full([1, 1], 1, "bool").item()).toBe(true);
    expect(() => m.item()).toThrow(/has 4 elements, not 1/);
  });
  test("toString prints like NumPy", () => {
    expect(String(m)).toBe("tensor([[ 1., 2.5],\n        [-3.,  4.]], dtype=float32)");
    expect(String(ops.fromValues([1, 0], [2], "bool"))).toBe("tensor([ True, False], dtype=bool)");
    expect(String(ops.full([], 3, "int32"))).toBe("tensor(3, dtype=int32)");
    expect(String(ops.fromValues([NaN, Infinity, -Infinity], [3], "float64"))).toBe("tensor([ nan,  inf, -inf], dtype=float64)");
  });
  test("a traced tensor cannot be read, with an error that says why", () => {
    const f = jit((x: typeof m) => {
      x.data();
      return x;
    });
    expect(() => f(m)).toThrow(TraceError);
    expect(() => makeJaxpr((x: typeof m) => x.toArray())(m)).toThrow(/traced inside jit or vmap/);
  });
  test("a tracer that escapes its transform is reported when used", () => {
    let leaked: unknown = null;
    jit((x: typeof m) => {
      leaked = x;
      return x;
    })(m);
    expect(() => jit((y: typeof m) => ops.add(y, leaked as typeof m))(m)).toThrow(/escaped the transform/);
  });
});
