/**
 * @file The building blocks optimizers are chained from: scaling by a learning rate, momentum,
 * second-moment estimates, clipping and weight decay. Each is a `GradientTransformation`.
 */
import * as ops from "../core/ops.js";
import type { AnyTensor } from "../core/ops.js";
import { leaves, map } from "../core/tree.js";
import { coefLike, divSqrt, lerp, plus, scalar, scale, square, sumSquares } from "../internal/leaf-math.js";
import { checkBoolean, checkNumber, nonNegative, positive, unitInterval } from "../internal/check-args.js";
import { checkLearningRate, rateAt, type LearningRate } from "./schedule.js";
import type { Count, EmptyState, EmptyStateFn, GradientTransformation, StateFn } from "./transformation.js";

type T = AnyTensor;
const zero = (): Count => ops.full([], 0, "int32") as unknown as Count;
const increment = (c: Count): Count => ops.add(c as unknown as T, ops.full([], 1, "int32")) as unknown as Count;
const mapLeaves = <P>(tree: P, fn: (...xs: T[]) => T, ...rest: unknown[]): P =>
  map(tree, (...xs) => fn(...(xs as T[])), ...rest) as P;
const zerosTree = <P>(tree: P): P => mapLeaves(tree, (x) => ops.fullLike(x, 0));

/**
 * State of transformations that only count steps.
 * @category Optimizers
 */
export interface CountStateFn extends StateFn {
  /** The step counter alone, whatever the parameters. */
  readonly out: {
    /** Steps taken so far (0 after `init`). */
    readonly count: Count;
  };
}

/**
 * Multiplies updates by `−lr` (so that adding them descends); `lr` may be a schedule.
 * @category Optimizers
 */
export function scaleByLearningRate(lr: LearningRate): GradientTransformation<CountStateFn> {
  checkLearningRate("scaleByLearningRate", lr);
  return {
    init: () => ({ count: zero() }),
    update: (grads, state) => {
      const lrNow = rateAt(lr, state.count);
      const rate = typeof lrNow === "number" ? -lrNow : ops.neg(lrNow);
      return [mapLeaves(grads, (g) => scale(g, rate)), { count: increment(state.count) }];
    },
  };
}

/**
 * State of `traceMomentum`.
 * @category Optimizers
 */
export interface TraceStateFn extends StateFn {
  /** `TraceState` of the parameters. */
  readonly out: TraceState<this["P"]>;
}
/**
 * Momentum state for parameters `P`.
 * @category Optimizers
 */
export type TraceState<P> = {
  /** The velocity `v`, a tree like the parameters (zeros after `init`). */
  readonly trace: P;
};

/**
 * Momentum: `v ← β·v + g`; the update is `v` (or `g + β·v` with Nesterov's look-ahead).
 * @category Optimizers
 */
export function traceMomentum(beta: number, nesterov = false): GradientTransformation<TraceStateFn> {
  checkNumber("traceMomentum", "beta", beta, unitInterval);
  checkBoolean("traceMomentum", "nesterov", nesterov);
  return {
    init: (params) => ({ trace: zerosTree(params) }),
    update: (grads, state) => {
      const trace = mapLeaves(grads, (g, v) => lerp(v, beta, g, 1), state.trace);
      const updates = nesterov ? mapLeaves(grads, (g, v) => lerp(v, beta, g, 1), trace) : trace;
      return [updates, { trace }];
    },
  };
}

/**
 * State of `scaleByAdam`.
 * @category Optimizers
 */
export interface AdamStateFn extends StateFn {
  /** `AdamState` of the parameters. */
  readonly out: AdamState<this["P"]>;
}
/**
 * Adam state for parameters `P`: step count, first and second moment estimates.
 * @category Optimizers
 */
export type AdamState<P> = {
  /** Steps taken so far, for the bias correction. */
  readonly count: Count;
  /** The running mean of the gradients (first moment), a tree like the parameters. */
  readonly mu: P;
  /** The running mean of the squared gradients (second moment), a tree like the parameters. */
  readonly nu: P;
};

/**
 * Adam's scaling (Kingma & Ba, 2015): bias-corrected first and second moment estimates,
 * update = m̂ / (√v̂ + ε).
 * @category Optimizers
 */
export function scaleByAdam(b1 = 0.9, b2 = 0.999, eps = 1e-8): GradientTransformation<AdamStateFn> {
  checkAdam("scaleByAdam", b1, b2, eps);
  return {
    init: (params) => ({ count: zero(), mu: zerosTree(params), nu: zerosTree(params) }),
    update: (grads, state) => {
      const count = increment(state.count);
      const t = ops.cast(count as unknown as T, "float64");
      const mu = mapLeaves(grads, (g, m) => lerp(m, b1, g, 1 - b1), state.mu);
      const nu = mapLeaves(grads, (g, v) => lerp(v, b2, square(g), 1 - b2), state.nu);
      // Bias corrections 1 − βᵗ, computed as 1 − exp(t·log β) so they trace with t.
      const c1 = ops.sub(scalar(1), ops.exp(ops.mul(t, scalar(Math.log(b1)))));
      const c2 = ops.sub(scalar(1), ops.exp(ops.mul(t, scalar(Math.log(b2)))));
      const updates = mapLeaves(mu, (m, v) => divSqrt(ops.div(m, coefLike(m, c1)), ops.div(v, coefLike(v, c2)), eps), nu);
      return [updates, { count, mu, nu }];
    },
  };
}

/**
 * State of `scaleByRms`.
 * @category Optimizers
 */
export interface RmsStateFn extends StateFn {
  /** `RmsState` of the parameters. */
  readonly out: RmsState<this["P"]>;
}
/**
 * RMSProp state for parameters `P`.
 * @category Optimizers
 */
export type RmsState<P> = {
  /** The running mean of the squared gradients, a tree like the parameters. */
  readonly nu: P;
};

/**
 * RMSProp's scaling: `v ← ρ·v + (1−ρ)·g²`, update = g / (√v + ε).
 * @category Optimizers
 */
export function scaleByRms(decay = 0.9, eps = 1e-8): GradientTransformation<RmsStateFn> {
  checkRms("scaleByRms", decay, eps);
  return {
    init: (params) => ({ nu: zerosTree(params) }),
    update: (grads, state) => {
      const nu = mapLeaves(grads, (g, v) => lerp(v, decay, square(g), 1 - decay), state.nu);
      return [mapLeaves(grads, (g, v) => divSqrt(g, v, eps), nu), { nu }];
    },
  };
}

/**
 * State of `scaleByRss`.
 * @category Optimizers
 */
export interface RssStateFn extends StateFn {
  /** `RssState` of the parameters. */
  readonly out: RssState<this["P"]>;
}
/**
 * AdaGrad state for parameters `P`.
 * @category Optimizers
 */
export type RssState<P> = {
  /** The sum of squared gradients so far (starting at `initialAccumulator`), a tree like the parameters. */
  readonly sumOfSquares: P;
};

/**
 * AdaGrad's scaling: `s ← s + g²`, update = g / (√s + ε).
 * @category Optimizers
 */
export function scaleByRss(initialAccumulator = 0.1, eps = 1e-7): GradientTransformation<RssStateFn> {
  checkRss("scaleByRss", initialAccumulator, eps);
  return {
    init: (params) => ({ sumOfSquares: mapLeaves(params, (x) => ops.fullLike(x, initialAccumulator)) }),
    update: (grads, state) => {
      const sumOfSquares = mapLeaves(grads, (g, s) => plus(s, square(g)), state.sumOfSquares);
      return [mapLeaves(grads, (g, s) => divSqrt(g, s, eps), sumOfSquares), { sumOfSquares }];
    },
  };
}

/**
 * Scales all updates by one factor so that their global L2 norm is at most `maxNorm`.
 * @category Optimizers
 */
export function clipByGlobalNorm(maxNorm: number): GradientTransformation<EmptyStateFn> {
  // Infinity would make the factor ∞/∞ = NaN; "no clipping" is leaving the link out.
  checkNumber("clipByGlobalNorm", "maxNorm", maxNorm, positive);
  return {
    init: () => ({}) as EmptyState,
    update: (grads, state) => {
      const all = leaves(grads) as T[];
      if (all.length === 0) return [grads, state];
      const norm = ops.sqrt(all.map(sumSquares).reduce((a, b) => ops.add(a, b)));
      const factor = ops.div(scalar(maxNorm), ops.max(norm, scalar(maxNorm)));
      return [mapLeaves(grads, (g) => scale(g, factor)), state];
    },
  };
}

/**
 * Adds `weightDecay · params` to the updates (decoupled weight decay when chained before the
 * learning-rate scaling, as in AdamW).
 * @category Optimizers
 */
export function addDecayedWeights(weightDecay: number): GradientTransformation<EmptyStateFn> {
  checkNumber("addDecayedWeights", "weightDecay", weightDecay, nonNegative);
  return {
    init: () => ({}) as EmptyState,
    update: (grads, state, params) => {
      if (params === undefined) throw new TypeError("addDecayedWeights: update needs the params");
      return [mapLeaves(grads, (g, p) => lerp(g, 1, p, weightDecay), params), state];
    },
  };
}


// ---- hyperparameter checks, shared with the named optimizers so errors name what the user called ----

/** Adam's β₁, β₂ in [0, 1) (β = 1 makes the bias correction 1 − βᵗ zero) and ε > 0. */
export function checkAdam(op: string, b1: unknown, b2: unknown, eps: unknown): void {
  checkNumber(op, "b1", b1, unitInterval);
  checkNumber(op, "b2", b2, unitInterval);
  checkNumber(op, "eps", eps, positive);
}

/** RMSProp's decay in [0, 1) and ε > 0. */
export function checkRms(op: string, decay: unknown, eps: unknown): void {
  checkNumber(op, "decay", decay, unitInterval);
  checkNumber(op, "eps", eps, positive);
}

/** AdaGrad's initial accumulator ≥ 0 and ε > 0 (both 0 would divide 0 by 0 on a zero gradient). */
export function checkRss(op: string, initialAccumulator: unknown, eps: unknown): void {
  checkNumber(op, "initialAccumulator", initialAccumulator, nonNegative);
  checkNumber(op, "eps", eps, positive);
}
