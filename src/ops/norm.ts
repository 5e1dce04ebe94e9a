/**
 * @file `safeNorm`: the Euclidean norm with a derivative that is finite everywhere, given by a
 * custom JVP rule (transforms/custom-derivatives.ts). The composite `sqrt(sum(x²))` has gradient
 * x / ‖x‖, which is 0/0 = NaN at x = 0 and poisons every parameter it reaches.
 */
import type { FloatDType } from "../dtype.js";
import type { Tensor } from "../core/tensor.js";
import * as core from "../core/ops.js";
import type { Shape } from "../shape/dim.js";
import type { AxisArg } from "../shape/reduce.js";
import { normalizeAxes, reduceShape } from "../shape/reduce.js";
import { customJvp } from "../transforms/custom-derivatives.js";
import type { AxisParam, ReducedShape } from "./reduction.js";
import { untyped, type T } from "./operand.js";

/** Σ over `axes` of `x`, with the reduced axes kept as size 1 when `keptShape` is given. */
function sumOver(x: T, axes: readonly number[], keptShape: readonly number[] | null): T {
  const s = core.reduceSum(x, axes);
  return keptShape === null ? s : core.reshape(s, keptShape);
}

// d‖x‖ = ⟨x, dx⟩ / ‖x‖, taken as 0 at x = 0 (a subgradient: the norm's minimum), where the
// composite gives 0/0. The rule computes with Σx² replaced by 1 at 0 (and selects 0 for the
// value), so that its own derivative, which grad∘grad takes, has no 0/0 either.
const norm = customJvp(
  function safeNorm(x: T, axes: readonly number[], keptShape: readonly number[] | null) {
    return core.sqrt(sumOver(core.mul(x, x), axes, keptShape));
  },
  ([x, axes, keptShape], [dx]) => {
    const s = sumOver(core.mul(x, x), axes, keptShape);
    const atZero = core.compare(s, core.fullLike(s, 0), "eq");
    const safe = core.sqrt(core.select(atZero, core.fullLike(s, 1), s));
    const n = core.select(atZero, core.fullLike(s, 0), safe);
    return [n, core.div(sumOver(core.mul(x, dx), axes, keptShape), safe)];
  },
);

/**
 * Euclidean norm √(Σ x²) over `axis` (all axes by default; `keepDims` keeps them as size 1),
 * whose gradient is x / ‖x‖ and 0 at x = 0, where the composite `sqrt(sum(mul(x, x)))` gives
 * NaN. Use it for gradient clipping, normalization layers and distance losses.
 * @example
 * grad((x: Tensor<[3]>) => safeNorm(x))(zeros([3])); // [0, 0, 0], not NaN
 * const rows = safeNorm(ones([8, 3]), 1); // Tensor<[8]>
 * @category Reduction
 */
export function safeNorm<S extends Shape, D extends FloatDType, const Ax extends AxisArg = undefined, K extends boolean = false>(
  x: Tensor<S, D>,
  axis?: AxisParam<S, Ax, K, "safeNorm">,
  keepDims?: K,
): Tensor<ReducedShape<S, Ax, K, "safeNorm">, D> {
  const t = untyped(x);
  const axes = normalizeAxes("safeNorm", axis as AxisArg, t.shape);
  const kept = keepDims === true ? reduceShape("safeNorm", t.shape, axis as AxisArg, true) : null;
  return norm(t, axes, kept) as never;
}
