/** @file The training-loop helper. */
export { fit } from "./fit.js";
export type { FitCommon, FitOptions, FitResult, FitResume, FitStart, Progress } from "./fit.js";
export type { TrainState } from "./state.js";
export type { FitCheck } from "./fit.js";
