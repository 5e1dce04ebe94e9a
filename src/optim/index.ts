/** @file The `optim` namespace: gradient transformations, optimizers and schedules. */
export { applyUpdates } from "./transformation.js";
export type {
  ApplyState,
  Count,
  EmptyState,
  EmptyStateFn,
  GradientTransformation,
  StateFn,
  StateOf,
} from "./transformation.js";
export { chain } from "./chain.js";
export type { ChainStateFn } from "./chain.js";
export {
  addDecayedWeights,
  clipByGlobalNorm,
  scaleByAdam,
  scaleByLearningRate,
  scaleByRms,
  scaleByRss,
  traceMomentum,
} from "./transforms.js";
export type { AdamState, AdamStateFn, CountStateFn, RmsState, RmsStateFn, RssState, RssStateFn, TraceState, TraceStateFn } from "./transforms.js";
export { adagrad, adam, adamw, momentum, nesterov, rmsprop, sgd } from "./optimizers.js";
export {
  constantSchedule,
  cosineDecay,
  exponentialDecay,
  linearWarmup,
  stepDecay,
} from "./schedule.js";
export type { LearningRate, Schedule } from "./schedule.js";
