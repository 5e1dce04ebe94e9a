/**
 * @file The `nn` activation layers are the ops of the same name: equal values everywhere
 * (infinities included) and equal derivatives at the kinks.
 */
import { describe, expect, test } from "vitest";
import * as core from "../../src/core/ops.js";
import * as nn from "../../src/nn/index.js";
import { gelu, leakyRelu, relu, sigmoid, softmax, softplus, tanh } from "../../src/ops/index.js";
import { grad } from "../../src/transforms/vjp.js";
import { vals, type T } from "./helpers.js";

const f64 = (v: number[], shape: number[]) => core.fromValues(v, shape, "float64");
const layer = (l: nn.AnyLayer) => (x: T) => l.apply({}, x as never) as unknown as T;
const sumAll = (y: T) => core.reduceSum(y, y.shape.map((_, i) => i));
/** Elementwise equality that counts NaN as equal to NaN. */
const same = (a: number[], b: number[]) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]) || v === b[i]);

describe("nn activations wrap the ops", () => {
  test("grad of nn.relu at exactly 0 is 0, as the op's", () => {
    const x = f64([-1, 0, 2], [1, 3]);
    const viaLayer = vals(grad((v: T) => sumAll(layer(nn.relu)(v)) as never)(x as never));
    const viaOp = vals(grad((v: T) => sumAll(relu(v) as T) as never)(x as never));
    expect(viaLayer).toEqual([0, 0, 1]);
    expect(viaOp).toEqual(viaLayer);
  });

  test("nn.softmax gives the op's result on rows holding -Infinity", () => {
    const inf = Infinity;
    const x = f64([-inf, 0, 1, -inf, -inf, -inf, 1e4, -inf, 0, inf, 0, 1], [4, 3]);
    const byLayer = vals(layer(nn.softmax)(x));
    const byOp = vals(softmax(x) as T);
    expect(same(byLayer, byOp)).toBe(true);
    // Rows with a finite maximum have no NaN; the all--Infinity row is 0/0 in both; a row holding
    // +Infinity is NaN only there (the guard keeps inf − inf out of the other entries).
    const e = Math.exp(-1);
    expect(byLayer.slice(0, 3)).toEqual([0, e / (1 + e), 1 / (1 + e)]);
    expect(byLayer.slice(3, 6).every(Number.isNaN)).toBe(true);
    expect(byLayer.slice(6, 9)).toEqual([1, 0, 0]);
    expect(byLayer.slice(9)).toEqual([NaN, 0, 0]);
  });

  test("every other activation layer equals its op, values and gradients", () => {
    const x = f64([-2.5, -1, -1e-3, 0, 1e-3, 0.7, 3, 40], [2, 4]);
    const pairs: [nn.AnyLayer, (x: T) => T][] = [
      [nn.sigmoid, (v) => sigmoid(v) as T],
      [nn.tanh, (v) => tanh(v) as T],
      [nn.gelu, (v) => gelu(v) as T],
      [nn.softplus, (v) => softplus(v) as T],
      [nn.leakyRelu(), (v) => leakyRelu(v) as T],
      [nn.leakyRelu(0.3), (v) => leakyRelu(v, 0.3) as T],
      [nn.softmax, (v) => softmax(v) as T],
    ];
    for (const [l, op] of pairs) {
      expect(vals(layer(l)(x))).toEqual(vals(op(x)));
      const g = (f: (v: T) => T) => vals(grad((v: T) => sumAll(core.mul(f(v), x)) as never)(x as never));
      expect(g(layer(l))).toEqual(g(op));
    }
  });
});
