// The 1-d and global pooling layers: shapes and values as the ops of the same names, the runtime
// twins of their compile-time errors, and gradients in a stack.
import { describe, expect, test } from "vitest";
import { avgPool1d as avgPool1dOp, globalAvgPool as globalAvgOp, maxPool1d as maxPool1dOp, nn, random, ShapeError } from "../../src/index.js";
import { checkGrad, data, expectClose, probe, toF64, vals, type T } from "./helpers.js";
import { expectThrown } from "../reliability/expect-error.js";

const { maxPool1d, avgPool1d, globalMaxPool, globalAvgPool, serial, conv2d, dense, relu } = nn;

describe("1-d pooling layers", () => {
  test("maxPool1d and avgPool1d equal the ops with valid windows", () => {
    const x = data([2, 11, 3], 4);
    expectClose(vals(maxPool1d(3, 2).apply({}, x as never)), vals(maxPool1dOp(x as never, 3, { strides: 2 })), 0);
    expectClose(vals(avgPool1d(4).apply({}, x as never)), vals(avgPool1dOp(x as never, 4)), 0);
    expect((maxPool1d(3, 2).apply({}, x as never) as unknown as T).shape).toEqual([2, 5, 3]);
  });

  test("inputs that do not fit are ShapeErrors with the compile-time text", () => {
    expectThrown(() => maxPool1d(4).apply({}, data([2, 10]) as never), ShapeError, /^maxPool1d\(4\) expects input \[length, channels\] but got \[10\]$/);
    expectThrown(() => avgPool1d(5, 2).apply({}, data([2, 3, 1]) as never), ShapeError, /^avgPool1d\(5, 2\): kernel 5 is larger than padded input 3/);
    expect(() => maxPool1d(0)).toThrow(RangeError);
  });
});

describe("global pooling layers", () => {
  test("[...spatial, c] to [c], as the ops", () => {
    const x = data([2, 4, 3, 5], 6);
    expectClose(vals(globalAvgPool.apply({}, x as never)), vals(globalAvgOp(x as never)), 0);
    const y = globalMaxPool.apply({}, data([3, 7, 2], 1) as never) as unknown as T;
    expect(y.shape).toEqual([3, 2]);
    expectThrown(() => globalMaxPool.apply({}, data([2, 5]) as never), ShapeError, /^globalMaxPool expects input \[\.\.\.spatial, channels\] but got \[5\]$/);
  });

  test("gradients through conv → globalAvgPool → dense against finite differences", () => {
    const model = serial(conv2d(2, 3, 3, { padding: "same" }), relu, globalAvgPool, dense(3, 2));
    const params = toF64(model.init(random.key(3)));
    const x = data([2, 5, 4, 2], 9);
    checkGrad((p: typeof params) => probe(model.apply(p, x as never) as unknown as T), params);
    const pooled = serial(globalMaxPool, dense(2, 2));
    const q = toF64(pooled.init(random.key(4)));
    checkGrad((xx: T) => probe(pooled.apply(q, xx as never) as unknown as T), data([2, 3, 3, 2], 10));
  });
});

describe("activation-unit layers", () => {
  test("silu, swish, elu, selu and mish keep the shape and equal their ops", async () => {
    const ops = await import("../../src/ops/activation-units.js");
    const x = data([2, 3, 4], 7);
    const pairs: [unknown, (a: never) => unknown][] = [
      [nn.silu, ops.silu],
      [nn.swish, ops.swish],
      [nn.elu(0.3), (a) => ops.elu(a, 0.3)],
      [nn.selu, ops.selu],
      [nn.mish, ops.mish],
    ];
    for (const [layer, op] of pairs) {
      const y = (layer as typeof nn.silu).apply({}, x as never) as unknown as T;
      expect(y.shape).toEqual([2, 3, 4]);
      expectClose(vals(y), vals(op(x as never)), 0);
    }
    expectThrown(() => nn.mish.apply({}, [x, x] as never), ShapeError, /^mish expects one tensor but got a tuple of 2 tensors$/);
  });
});
