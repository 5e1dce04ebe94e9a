/**
 * @file Smooth activation units: `silu` (= `swish`), `elu`, `selu` and `mish`, composites of the
 * stable `sigmoid` and `softplus` and of `expm1`, written so that no branch a `select` discards
 * can overflow (its ∞ would turn the gradient into NaN).
 */
import type { DType } from "../dtype.js";
import type { Tensor } from "../core/tensor.js";
import * as core from "../core/ops.js";
import { expm1Of } from "../primitives/expm1.js";
import type { Shape } from "../shape/dim.js";
import type { FloatOf, T } from "./operand.js";
import { castTo, floatOf, untyped } from "./operand.js";
import { sigmoid, softplus } from "./activations.js";

const floatIn = (x: Tensor<Shape, DType>): T => castTo(untyped(x), floatOf(x.dtype));

/**
 * SiLU (sigmoid linear unit, also called swish): `x · sigmoid(x)`.
 * @example
 * const y = silu(tensor([-1, 0, 2])); // [-0.2689, 0, 1.7616]
 * @category Activations
 */
export function silu<S extends Shape, D extends DType>(x: Tensor<S, D>): Tensor<S, FloatOf<D>> {
  const t = floatIn(x);
  return core.mul(t, untyped(sigmoid(t as Tensor<Shape, DType>))) as never;
}

/**
 * Swish, `x · sigmoid(x)`: the same function as `silu` (JAX's `swish`, with β = 1).
 * @example
 * const y = swish(tensor([0, 2])); // [0, 1.7616]
 * @category Activations
 */
export const swish: typeof silu = silu;

/**
 * ELU: `x` for `x > 0`, `alpha · (eˣ − 1)` otherwise (default `alpha` 1), with `expm1` for small
 * `|x|`. At 0 the derivative is `alpha` (the test is `x > 0`, as JAX and PyTorch).
 * @example
 * const y = elu(tensor([-1, 0, 2])); // [-0.6321, 0, 2]
 * @category Activations
 */
export function elu<S extends Shape, D extends DType>(x: Tensor<S, D>, alpha = 1): Tensor<S, FloatOf<D>> {
  return eluOf(floatIn(x), alpha) as never;
}

function eluOf(t: T, alpha: number): T {
  const positive = core.compare(t, core.fullLike(t, 0), "gt");
  // NB: expm1 sees 0 where x > 0, so a large x cannot overflow in the branch the select drops.
  const safe = core.select(positive, core.fullLike(t, 0), t);
  return core.select(positive, t, core.mul(core.fullLike(t, alpha), expm1Of(safe)));
}

/** SELU's constants (Klambauer et al. 2017), as JAX and PyTorch use them. */
const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;

/**
 * SELU, the self-normalizing ELU: `scale · elu(x, alpha)` with `alpha ≈ 1.6733`, `scale ≈ 1.0507`.
 * @example
 * const y = selu(tensor([-1, 0, 2])); // [-1.1113, 0, 2.1014]
 * @category Activations
 */
export function selu<S extends Shape, D extends DType>(x: Tensor<S, D>): Tensor<S, FloatOf<D>> {
  const e = eluOf(floatIn(x), SELU_ALPHA);
  return core.mul(e, core.fullLike(e, SELU_SCALE)) as never;
}

/**
 * Mish: `x · tanh(softplus(x))`, with the stable `softplus` (no overflow for large `x`).
 * @example
 * const y = mish(tensor([-1, 0, 2])); // [-0.3034, 0, 1.9440]
 * @category Activations
 */
export function mish<S extends Shape, D extends DType>(x: Tensor<S, D>): Tensor<S, FloatOf<D>> {
  const t = floatIn(x);
  return core.mul(t, core.tanh(untyped(softplus(t as Tensor<Shape, DType>)))) as never;
}
