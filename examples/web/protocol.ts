/** @file The messages between the page and the training worker. */
import type { TrainReport, TrainRequest } from "./training.js";

/** Page → worker. */
export interface WorkerRequest {
  readonly type: "train";
  readonly request: TrainRequest;
}

/** Worker → page: the training reports, plus loading, the end, and failure (the error's text). */
export type WorkerMessage =
  | TrainReport
  | { readonly type: "loading"; readonly what: string }
  | { readonly type: "done" }
  | { readonly type: "error"; readonly message: string };
