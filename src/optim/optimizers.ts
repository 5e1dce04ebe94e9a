/**
 * @file The optimizers people know by name, each a chain of the building blocks in
 * `transforms.ts` (as optax defines them). All are pure: state in, state out.
 */
import { chain } from "./chain.js";
import type { LearningRate } from "./schedule.js";
import {
  addDecayedWeights,
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
 * const opt = sgd(0.1);
 * @category Optimizers
 */
export function sgd(lr: LearningRate): ReturnType<typeof plainSgd>;
export function sgd(lr: LearningRate, options: { readonly momentum: number; readonly nesterov?: boolean }): ReturnType<typeof momentum>;
export function sgd(lr: LearningRate, options?: { readonly momentum: number; readonly nesterov?: boolean }) {
  if (options === undefined) return plainSgd(lr);
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
  return chain(traceMomentum(beta, nesterov), scaleByLearningRate(lr));
}

/**
 * Nesterov's accelerated gradient: momentum with look-ahead.
 * @category Optimizers
 */
export function nesterov(lr: LearningRate, beta = 0.9) {
  return momentum(lr, beta, true);
}

/**
 * RMSProp: per-parameter step sizes from a running mean of squared gradients.
 * @category Optimizers
 */
export function rmsprop(lr: LearningRate, decay = 0.9, eps = 1e-8) {
  return chain(scaleByRms(decay, eps), scaleByLearningRate(lr));
}

/**
 * AdaGrad: per-parameter step sizes from the running sum of squared gradients.
 * @category Optimizers
 */
export function adagrad(lr: LearningRate, initialAccumulator = 0.1, eps = 1e-7) {
  return chain(scaleByRss(initialAccumulator, eps), scaleByLearningRate(lr));
}

/**
 * Adam (Kingma & Ba, 2015).
 * @example
 * const opt = adam(1e-3);
 * const state = opt.init(params);
 * const [updates, next] = opt.update(grads, state);
 * @category Optimizers
 */
export function adam(lr: LearningRate, b1 = 0.9, b2 = 0.999, eps = 1e-8) {
  return chain(scaleByAdam(b1, b2, eps), scaleByLearningRate(lr));
}

/**
 * AdamW (Loshchilov & Hutter, 2019): Adam with weight decay decoupled from the gradient.
 * @category Optimizers
 */
export function adamw(lr: LearningRate, b1 = 0.9, b2 = 0.999, eps = 1e-8, weightDecay = 1e-4) {
  return chain(scaleByAdam(b1, b2, eps), addDecayedWeights(weightDecay), scaleByLearningRate(lr));
}
