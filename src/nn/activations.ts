/**
 * @file Parameter-free elementwise layers: `relu`, `leakyRelu`, `sigmoid`, `tanh`, `gelu`,
 * `softplus`, `softmax` and `identity`. Each keeps any per-example shape and the dtype, and wraps
 * the op of the same name in `src/ops/` (one definition, so layer and op agree at every point,
 * kinks and infinities included).
 */
import type { AnyTensor } from "../core/ops.js";
import * as ops from "../ops/activations.js";
import { tanh as tanhOp } from "../ops/elementwise.js";
import type { Layer, LayerFn } from "./layer.js";
import { makeLayer } from "./layer.js";
import type { KeepTensor } from "./shape-check.js";
import { oneTensor } from "./shape-check.js";

type T = AnyTensor;

/**
 * Shape function of a layer that keeps its input's shape and dtype; `Name` is for messages.
 * @category Activations
 */
export interface KeepFn<Name extends string> extends LayerFn {
  /** The input tensor type unchanged, or an error naming the layer when the input is not a tensor. */
  readonly out: KeepTensor<this["in"], Name>;
}

/**
 * A parameter-free layer that keeps the shape.
 * @category Activations
 */
export type Activation<Name extends string> = Layer<KeepFn<Name>, {}>;

function activation<Name extends string>(name: Name, f: (x: T) => T): Activation<Name> {
  return makeLayer<KeepFn<Name>, {}>({ name, init: () => ({}), apply: (_p, x) => f(oneTensor(name, x)) });
}

/**
 * `max(x, 0)`, as the op `relu`: its derivative at 0 is 0, as in JAX and PyTorch.
 * @example
 * const model = nn.serial(nn.dense(784, 128), nn.relu, nn.dense(128, 10));
 * @category Activations
 */
export const relu: Activation<"relu"> = activation("relu", (x) => ops.relu(x));

/**
 * `x` for `x > 0`, `slope·x` otherwise (default slope 0.01), as the op `leakyRelu`.
 * @category Activations
 */
export function leakyRelu(slope = 0.01): Activation<"leakyRelu"> {
  return activation("leakyRelu", (x) => ops.leakyRelu(x, slope));
}

/**
 * The logistic function `1 / (1 + e⁻ˣ)`, as the op `sigmoid` (which never overflows).
 * @category Activations
 */
export const sigmoid: Activation<"sigmoid"> = activation("sigmoid", (x) => ops.sigmoid(x));

/**
 * The hyperbolic tangent, as the op `tanh`.
 * @category Activations
 */
export const tanh: Activation<"tanh"> = activation("tanh", (x) => tanhOp(x));

/**
 * GELU by its tanh approximation, as the op `gelu` (JAX's `gelu(approximate=True)`).
 * @category Activations
 */
export const gelu: Activation<"gelu"> = activation("gelu", (x) => ops.gelu(x));

/**
 * `log(1 + eˣ)`, as the op `softplus` (stable for large `|x|`).
 * @category Activations
 */
export const softplus: Activation<"softplus"> = activation("softplus", (x) => ops.softplus(x));

/**
 * Softmax over the last axis, as the op `softmax`: stable for large logits, and rows holding
 * `-Infinity` give the op's results (all-`-Infinity` rows give NaN there, as they must).
 * @category Activations
 */
export const softmax: Activation<"softmax"> = activation("softmax", (x) => ops.softmax(x));

/**
 * The identity layer: returns its input.
 * @category Activations
 */
export const identity: Activation<"identity"> = activation("identity", (x) => x);
