/** @file Where a training run stands after a whole epoch: what `fit` reports and resumes from. */
import type { Key } from "../random/key.js";

/**
 * A training run after `epoch` whole epochs: enough to continue it exactly. `fit` hands one to
 * `onEpochEnd` after each epoch and returns the last; `fit({ …, resume })` continues from one,
 * and `io.saveTrainState`/`io.loadTrainState` keep it in a file.
 * @category Training
 */
export interface TrainState<P, S> {
  /** The parameters. */
  readonly params: P;
  /** The optimizer state. */
  readonly optState: S;
  /** The run's key (`fit`'s `key`), from which every epoch's shuffle and step keys derive; absent when batches kept data order. */
  readonly key?: Key;
  /** Epochs completed. */
  readonly epoch: number;
  /** Optimizer steps completed. */
  readonly step: number;
}
