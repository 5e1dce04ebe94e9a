/**
 * @file Parameter-free layers of the smooth activation units `silu` (= `swish`), `elu`, `selu` and
 * `mish`: each keeps any per-example shape and wraps the op of the same name in `src/ops/`.
 */
import * as ops from "../ops/activation-units.js";
import type { Activation, KeepFn } from "./activations.js";
import { makeLayer } from "./layer.js";
import { oneTensor } from "./shape-check.js";

function unit<Name extends string>(name: Name, f: (x: never) => unknown): Activation<Name> {
  return makeLayer<KeepFn<Name>, {}>({ name, init: () => ({}), apply: (_p, x) => f(oneTensor(name, x) as never) as never });
}

/**
 * `x · sigmoid(x)`, as the op `silu`.
 * @example
 * const mlp = nn.serial(nn.dense(64, 64), nn.silu, nn.dense(64, 10));
 * @category Activations
 */
export const silu: Activation<"silu"> = unit("silu", ops.silu);

/**
 * `x · sigmoid(x)` under its other name, as the op `swish`.
 * @category Activations
 */
export const swish: Activation<"swish"> = unit("swish", ops.swish);

/**
 * `x` for `x > 0`, `alpha · (eˣ − 1)` otherwise (default `alpha` 1), as the op `elu`.
 * @example
 * const layer = nn.elu(0.5);
 * @category Activations
 */
export function elu(alpha = 1): Activation<"elu"> {
  return unit("elu", (x: never) => ops.elu(x, alpha));
}

/**
 * The self-normalizing `scale · elu(x, alpha)`, as the op `selu`.
 * @category Activations
 */
export const selu: Activation<"selu"> = unit("selu", ops.selu);

/**
 * `x · tanh(softplus(x))`, as the op `mish`.
 * @category Activations
 */
export const mish: Activation<"mish"> = unit("mish", ops.mish);
