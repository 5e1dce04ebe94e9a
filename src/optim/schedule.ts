/**
 * @file Learning-rate schedules: pure functions of the step count, traceable under `jit`, accepted
 * wherever a learning rate is.
 */
import * as ops from "../core/ops.js";
import type { AnyTensor } from "../core/ops.js";
import type { Tensor } from "../core/tensor.js";
import type { FloatDType } from "../dtype.js";
import { checkNumber, finite, nonNegative, positive, showValue } from "../internal/check-args.js";
import { scalar } from "../internal/leaf-math.js";
import type { Count } from "./transformation.js";

type T = AnyTensor;

/**
 * A learning rate as a function of the step count (0 on the first update), a float scalar.
 * @category Schedules
 */
export type Schedule = (count: Count) => Tensor<[], FloatDType>;

/**
 * A constant learning rate or a schedule.
 * @category Schedules
 */
export type LearningRate = number | Schedule;

const steps = (count: Count): T => ops.cast(count as unknown as T, "float64");
const out = (x: T) => x as unknown as Tensor<[], FloatDType>;

/**
 * Checks a learning rate given to `op`: a finite number ≥ 0 (a negative one would ascend) or a
 * schedule function (whose values are traced, so they are not checked here).
 */
export function checkLearningRate(op: string, lr: unknown): LearningRate {
  if (typeof lr === "function") return lr as Schedule;
  if (typeof lr !== "number") {
    throw new TypeError(`${op}: learning rate must be a finite number ≥ 0 or a schedule function, got ${typeof lr} ${showValue(lr)}`);
  }
  if (!(lr >= 0 && Number.isFinite(lr))) {
    throw new RangeError(`${op}: learning rate must be a finite number ≥ 0 or a schedule function, got ${lr}`);
  }
  return lr;
}

/** The learning rate at `count`: a JS number stays one (exact in any dtype). */
export function rateAt(lr: LearningRate, count: Count): number | T {
  return typeof lr === "number" ? lr : (lr(count) as unknown as T);
}

/**
 * The same value at every step.
 * @category Schedules
 */
export function constantSchedule(value: number): Schedule {
  checkNumber("constantSchedule", "value", value);
  return () => out(scalar(value));
}

/**
 * `init · rate^(count / transitionSteps)`; with `staircase`, the exponent is floored.
 * @category Schedules
 */
export function exponentialDecay(init: number, rate: number, transitionSteps: number, staircase = false): Schedule {
  checkNumber("exponentialDecay", "init", init);
  checkNumber("exponentialDecay", "rate", rate, positive);
  checkNumber("exponentialDecay", "transitionSteps", transitionSteps, positive);
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
  checkNumber("stepDecay", "init", init);
  checkNumber("stepDecay", "factor", factor);
  if (!Array.isArray(boundaries)) throw new TypeError(`stepDecay: boundaries must be an array of step counts, got ${showValue(boundaries)}`);
  boundaries.forEach((b, i) => checkNumber("stepDecay", `boundaries[${i}]`, b, nonNegative));
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
  checkNumber("cosineDecay", "init", init);
  checkNumber("cosineDecay", "decaySteps", decaySteps, positive);
  checkNumber("cosineDecay", "alpha", alpha, finite);
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
  checkNumber("linearWarmup", "peak", peak);
  checkNumber("linearWarmup", "warmupSteps", warmupSteps, positive);
  checkNumber("linearWarmup", "start", start);
  if (after !== undefined && typeof after !== "function") {
    throw new TypeError(`linearWarmup: after must be a schedule function, got ${typeof after} ${showValue(after)}`);
  }
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
