/**
 * @file Learning-rate schedules: pure functions of the step count, traceable under `jit`, accepted
 * wherever a learning rate is.
 */
import * as ops from "../core/ops.js";
import type { AnyTensor } from "../core/ops.js";
import type { Tensor } from "../core/tensor.js";
import type { FloatDType } from "../dtype.js";
import { scalar } from "../internal/leaf-math.js";
import type { Count } from "./transformation.js";

type T = AnyTensor;

/** A learning rate as a function of the step count (0 on the first update), a float scalar. */
export type Schedule = (count: Count) => Tensor<[], FloatDType>;

/** A constant learning rate or a schedule. */
export type LearningRate = number | Schedule;

const steps = (count: Count): T => ops.cast(count as unknown as T, "float64");
const out = (x: T) => x as unknown as Tensor<[], FloatDType>;

/** The learning rate at `count`: a JS number stays one (exact in any dtype). */
export function rateAt(lr: LearningRate, count: Count): number | T {
  return typeof lr === "number" ? lr : (lr(count) as unknown as T);
}

/**
 * The same value at every step.
 * @category Schedules
 */
export function constantSchedule(value: number): Schedule {
  return () => out(scalar(value));
}

/**
 * `init · rate^(count / transitionSteps)`; with `staircase`, the exponent is floored.
 * @category Schedules
 */
export function exponentialDecay(init: number, rate: number, transitionSteps: number, staircase = false): Schedule {
  if (!(transitionSteps > 0)) throw new RangeError(`exponentialDecay: transitionSteps must be positive, got ${transitionSteps}`);
  return (count) => {
    let p = ops.div(steps(count), scalar(transitionSteps));
    if (staircase) p = ops.cast(ops.cast(p, "int32"), "float64");
    return out(ops.mul(scalar(init), ops.exp(ops.mul(p, scalar(Math.log(rate))))));
  };
}

/**
 * Step decay: `init · factor^k` after the k-th boundary (boundaries are step counts).
 * @category Schedules
 */
export function stepDecay(init: number, factor: number, boundaries: readonly number[]): Schedule {
  return (count) => {
    const s = steps(count);
    let lr = scalar(init);
    for (const b of boundaries) {
      const passed = ops.compare(s, scalar(b), "ge");
      lr = ops.select(passed, ops.mul(lr, scalar(factor)), lr);
    }
    return out(lr);
  };
}

/**
 * Cosine decay from `init` to `init · alpha` over `decaySteps`, then constant.
 * @category Schedules
 */
export function cosineDecay(init: number, decaySteps: number, alpha = 0): Schedule {
  if (!(decaySteps > 0)) throw new RangeError(`cosineDecay: decaySteps must be positive, got ${decaySteps}`);
  return (count) => {
    const t = ops.min(ops.div(steps(count), scalar(decaySteps)), scalar(1));
    const cosine = ops.mul(scalar(0.5), ops.add(scalar(1), ops.cos(ops.mul(t, scalar(Math.PI)))));
    return out(ops.mul(scalar(init), ops.add(ops.mul(cosine, scalar(1 - alpha)), scalar(alpha))));
  };
}

/**
 * Linear warm-up from `start` to `peak` over `warmupSteps`, then `after` (shifted to start at 0)
 * or the constant `peak`.
 * @category Schedules
 */
export function linearWarmup(peak: number, warmupSteps: number, after?: Schedule, start = 0): Schedule {
  if (!(warmupSteps > 0)) throw new RangeError(`linearWarmup: warmupSteps must be positive, got ${warmupSteps}`);
  return (count) => {
    const s = steps(count);
    const frac = ops.min(ops.div(s, scalar(warmupSteps)), scalar(1));
    const warm = ops.add(scalar(start), ops.mul(frac, scalar(peak - start)));
    if (after === undefined) return out(warm);
    const shifted = ops.sub(count as unknown as T, ops.full([], warmupSteps, "int32"));
    const later = after(ops.max(shifted, ops.full([], 0, "int32")) as unknown as Count) as unknown as T;
    return out(ops.select(ops.compare(s, scalar(warmupSteps), "lt"), warm, later));
  };
}
