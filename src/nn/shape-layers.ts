/**
 * @file Layers that only reshape or pin shapes: `flatten` (all per-example dims into one, its
 * size computed at the type level) and `input(shape)` (asserts the per-example shape, so a
 * `serial` stack starting with it is checked through convolutions at construction).
 */
import * as core from "../core/ops.js";
import type { AnyTensor } from "../core/ops.js";
import type { Tensor } from "../core/tensor.js";
import type { Dim, IsTuple, Shape } from "../shape/dim.js";
import { product } from "../shape/arith.js";
import { ShapeError, showShape } from "../shape/errors.js";
import type { ProductDim } from "../shape/reshape.js";
import type { ShowShape } from "../shape/show.js";
import type { Layer, LayerFn } from "./layer.js";
import { makeLayer } from "./layer.js";
import type { FixedMap, NotOneTensor } from "./shape-check.js";
import { perExample } from "./shape-check.js";

/**
 * Shape function of `flatten`: `[d1, …, dn]` to `[d1·…·dn]` (a literal when every dim is one).
 * @category Layers
 */
export interface FlattenFn extends LayerFn {
  /** `[d1·…·dn]`, a literal when every dim is one. */
  readonly out: this["in"] extends Tensor<infer S, infer D>
    ? Tensor<[IsTuple<S> extends false ? number : ProductDim<S> & Dim], D>
    : NotOneTensor<"flatten", this["in"]>;
}

/**
 * Flattens each example: `[B, 5, 5, 16]` becomes `[B, 400]`. The product is computed at the type
 * level (exact, by digit-string arithmetic); a wide `number` dim makes it `number`.
 * @example
 * const head = nn.serial(nn.flatten, nn.dense(400, 10));
 * @category Layers
 */
export const flatten: Layer<FlattenFn, {}> = makeLayer<FlattenFn, {}>({
  name: "flatten",
  init: () => ({}),
  apply: (_p, x) => {
    const s = perExample("flatten", x);
    const t = x as AnyTensor;
    return core.reshape(t, [t.shape[0], product(s)]);
  },
});

/**
 * Shape function of `input(S)`: accepts `S` and outputs exactly `S`.
 * @category Layers
 */
export interface InputFn<S extends Shape> extends LayerFn {
  /** The input unchanged when it is exactly `S`; an error naming both otherwise. */
  readonly out: FixedMap<this["in"], `input(${ShowShape<S>})`, S, S>;
}

/**
 * The identity, asserting the per-example shape `S` (symbolic names are not checked at run time).
 * As the first layer of `serial`, it lets the compiler check the whole stack, including layers
 * after convolutions and pooling whose sizes depend on the input size.
 * @example
 * nn.serial(nn.input([28, 28, 1]), nn.conv2d(1, 6, 5), nn.maxPool2d(2), nn.flatten, nn.dense(864, 10));
 * @category Layers
 */
export function input<const S extends Dim[]>(shape: S): Layer<InputFn<S>, {}> {
  const name = `input(${showShape(shape as number[])})`;
  return makeLayer<InputFn<S>, {}>({
    name,
    init: () => ({}),
    apply: (_p, x) => {
      const s = perExample(name, x);
      if (s.length !== shape.length || shape.some((d, i) => typeof d === "number" && d !== s[i])) {
        throw new ShapeError(`${name} expects input ${showShape(shape as number[])} but got ${showShape(s)}`);
      }
      return x;
    },
  });
}
