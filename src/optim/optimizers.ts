/**
 * @file The optimizers people know by name, each a chain of the building blocks in
 * `transforms.ts` (as optax defines them). All are pure: state in, state out.
 */
import { checkBoolean, checkNumber, checkOptions, nonNegative, unitInterval } from "../internal/check-args.js";
import { chain } from "./chain.js";
import { checkLearningRate, type LearningRate } from "./schedule.js";
import {
  addDecayedWeights,
  checkAdam,
  checkRms,
  checkRss,
  scaleByAdam,
  scaleByLearningRate,
  scaleByRms,
  scaleByRss,
  traceMomentum,
} from "./transforms.js";

/**
 * Stochastic gradient descent: `p ← p − lr·g` (plain gradient descent when the batch is the whole
 * data set). With `momentum`, heavy-ball or Nesterov momentum.
 * @example
 * const opt = optim.sgd(0.1);
 * const withMomentum = optim.sgd(0.1, { momentum: 0.9, nesterov: true });
 * @category Optimizers
 */
export function sgd(lr: LearningRate): ReturnType<typeof plainSgd>;
export function sgd(lr: LearningRate, options: { readonly momentum: number; readonly nesterov?: boolean }): ReturnType<typeof momentum>;
export function sgd(lr: LearningRate, options?: { readonly momentum: number; readonly nesterov?: boolean }) {
  checkLearningRate("sgd", lr);
  if (options === undefined) return plainSgd(lr);
  const opts = checkOptions("sgd", "options", options);
  checkNumber("sgd", "momentum", opts.momentum, unitInterval);
  if (opts.nesterov !== undefined) checkBoolean("sgd", "nesterov", opts.nesterov);
  return momentum(lr, options.momentum, options.nesterov ?? false);
}

function plainSgd(lr: LearningRate) {
  return chain(scaleByLearningRate(lr));
}

/**
 * SGD with momentum `beta` (default 0.9): `v ← β·v + g`, `p ← p − lr·v`.
 * @category Optimizers
 */
export function momentum(lr: LearningRate, beta = 0.9, nesterov = false) {
  checkMomentum("momentum", lr, beta, nesterov);
  return chain(traceMomentum(beta, nesterov), scaleByLearningRate(lr));
}

/**
 * Nesterov's accelerated gradient: momentum with look-ahead.
 * @category Optimizers
 */
export function nesterov(lr: LearningRate, beta = 0.9) {
  checkMomentum("nesterov", lr, beta, true);
  return momentum(lr, beta, true);
}

/**
 * RMSProp: per-parameter step sizes from a running mean of squared gradients.
 * @category Optimizers
 */
export function rmsprop(lr: LearningRate, decay = 0.9, eps = 1e-8) {
  checkLearningRate("rmsprop", lr);
  checkRms("rmsprop", decay, eps);
  return chain(scaleByRms(decay, eps), scaleByLearningRate(lr));
}

/**
 * AdaGrad: per-parameter step sizes from the running sum of squared gradients.
 * @category Optimizers
 */
export function adagrad(lr: LearningRate, initialAccumulator = 0.1, eps = 1e-7) {
  checkLearningRate("adagrad", lr);
  checkRss("adagrad", initialAccumulator, eps);
  return chain(scaleByRss(initialAccumulator, eps), scaleByLearningRate(lr));
}

/**
 * Adam (Kingma & Ba, 2015).
 * @example
 * const params = { w: zeros([784, 10]), b: zeros([10]) };
 * declare const grads: typeof params;
 * const opt = optim.adam(1e-3);
 * const state = opt.init(params);
 * const [updates, next] = opt.update(grads, state);
 * const stepped = optim.applyUpdates(params, updates);
 * @category Optimizers
 */
export function adam(lr: LearningRate, b1 = 0.9, b2 = 0.999, eps = 1e-8) {
  checkLearningRate("adam", lr);
  checkAdam("adam", b1, b2, eps);
  return chain(scaleByAdam(b1, b2, eps), scaleByLearningRate(lr));
}

/**
 * AdamW (Loshchilov & Hutter, 2019): Adam with weight decay decoupled from the gradient.
 * @category Optimizers
 */
export function adamw(lr: LearningRate, b1 = 0.9, b2 = 0.999, eps = 1e-8, weightDecay = 1e-4) {
  checkLearningRate("adamw", lr);
  checkAdam("adamw", b1, b2, eps);
  checkNumber("adamw", "weightDecay", weightDecay, nonNegative);
  return chain(scaleByAdam(b1, b2, eps), addDecayedWeights(weightDecay), scaleByLearningRate(lr));
}

/** The hyperparameters of the momentum family, checked under the name the user called. */
function checkMomentum(op: string, lr: unknown, beta: unknown, nesterov: unknown): void {
  checkLearningRate(op, lr);
  checkNumber(op, "beta", beta, unitInterval);
  checkBoolean(op, "nesterov", nesterov);
}
