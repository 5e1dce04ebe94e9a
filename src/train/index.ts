/** @file The training-loop helper. */
export { fit } from "./fit.js";
export type { FitOptions, FitResult, Progress } from "./fit.js";
export type { FitCheck } from "./fit.js";
