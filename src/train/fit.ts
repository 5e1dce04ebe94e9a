/**
 * @file The common training loop: epochs × shuffled batches, one jitted step per batch
 * (value and gradient of the loss, optimizer update), metrics per epoch, progress callbacks.
 * Everything stays pure: parameters and optimizer state go in and come out.
 */
import { applyUpdates } from "../optim/transformation.js";
import type { GradientTransformation, StateFn, StateOf } from "../optim/transformation.js";
import { batches, checkRows, type Dataset, type PartOf, type RowsAgree } from "../data/dataset.js";
import { foldIn, key as makeKey, type Key } from "../random/key.js";
import type { TrainState } from "./state.js";

/** Step keys when the caller gives no key: deterministic, like everything else here. */
const FALLBACK_KEY = makeKey(0);
/** Separates the per-step keys from the shuffling keys derived from the same epoch key. */
const STEP_STREAM = 0x5eed;
import type { Tensor } from "../core/tensor.js";
import type { DType, FloatDType } from "../dtype.js";
import type { Dim } from "../shape/dim.js";
import { jit } from "../transforms/jit.js";
import { valueAndGrad } from "../transforms/vjp.js";

type Rows = Tensor<[Dim, ...Dim[]], DType>;

/**
 * What the loop reports after each step and each epoch.
 * @category Training
 */
export interface Progress {
  /** The current epoch, counted from 1 (a resumed run goes on counting). */
  readonly epoch: number;
  /** The last epoch of the run. */
  readonly epochs: number;
  /** Steps done in this epoch. */
  readonly step: number;
  /** The number of steps (batches) in each epoch. */
  readonly steps: number;
  /** Mean training loss over the epoch so far. */
  readonly loss: number;
  /** The epoch's metrics (from `evaluate`), present on epoch ends. */
  readonly metrics?: Readonly<Record<string, number>>;
}

/**
 * Options of `fit` shared by a fresh run and a resumed one.
 * @inline
 */
export interface FitCommon<P, X extends Rows, Y extends Rows, O extends GradientTransformation<StateFn>> {
  /** The optimizer. */
  readonly optimizer: O;
  /** Scalar loss of parameters on one batch; `key` is fresh for every step (for dropout and the like). */
  readonly loss: (params: NoInfer<P>, x: NoInfer<PartOf<X>>, y: NoInfer<PartOf<Y>>, key: Key) => Tensor<[], FloatDType>;
  /** Training data, one example per row (`x` and `y` must have the same number of rows). */
  readonly data: Dataset<X, Y>;
  /** The last epoch to train (a resumed run counts the epochs it resumes after). */
  readonly epochs: number;
  /** Rows per step; a last batch smaller than this is dropped, so every step has one shape. */
  readonly batchSize: number;
  /** Metrics computed from the parameters after each epoch (e.g. held-out accuracy). */
  readonly evaluate?: (params: NoInfer<P>) => Readonly<Record<string, number>>;
  /** Called after every step and with the metrics after every epoch. */
  readonly onProgress?: (progress: Progress) => void;
  /** Called after every epoch with where the run stands: save it to resume later (`io.saveTrainState`). */
  readonly onEpochEnd?: (state: NoInfer<TrainState<P, StateOf<O, P>>>) => void;
}

/**
 * A fresh run: initial parameters, and optionally an optimizer state and a key.
 * @inline
 */
export interface FitStart<P, O extends GradientTransformation<StateFn>> {
  /** Initial parameters. */
  readonly params: P;
  /** Optimizer state to start from (default: `optimizer.init(params)`). */
  readonly state?: NoInfer<StateOf<O, P>>;
  /** Shuffles the data; epoch e uses `foldIn(key, e)`. Without a key, batches keep data order. */
  readonly key?: Key;
  /** Absent in a fresh run. */
  readonly resume?: undefined;
}

/**
 * A resumed run: parameters, optimizer state, key and counts all come from the training state,
 * and training goes on with the epoch after `resume.epoch`. With the same data, batch size and
 * loss, the result is bit for bit that of the run that was never interrupted.
 * @inline
 */
export interface FitResume<P, O extends GradientTransformation<StateFn>> {
  /** The training state to continue from (from `onEpochEnd`, `FitResult.trainState` or a file). */
  readonly resume: TrainState<P, StateOf<O, P>>;
  /** Absent: the parameters come from `resume`. */
  readonly params?: undefined;
  /** Absent: the optimizer state comes from `resume`. */
  readonly state?: undefined;
  /** Absent: the key comes from `resume`. */
  readonly key?: undefined;
}

/**
 * Options of `fit`: the common ones, and either a fresh start or a training state to resume.
 * The types come from `params` (or `resume`) and `data` alone (`NoInfer` elsewhere): `loss` and
 * `evaluate` are checked against them, never used to guess them. A batch is typed `PartOf` the
 * data: a named row dim (`Tensor<["batch", 784]>`, see `withDims`) stays that name, so a loss
 * written for `Tensor<["batch", 784]>` and `Tensor<["batch"], "int32">` fits data named so; any
 * other row dim is `number` in a batch (a batch is not the whole data).
 * @category Training
 */
export type FitOptions<P, X extends Rows, Y extends Rows, O extends GradientTransformation<StateFn>> = FitCommon<P, X, Y, O> &
  (FitStart<P, O> | FitResume<P, O>);

/**
 * `{}` when the data's `x` and `y` may have the same number of rows, else `data` typed as the message.
 * @category Training
 */
export type FitCheck<X, Y> = RowsAgree<"fit", X, Y> extends infer E extends string
  ? {
      /** The data typed as the mismatch message, so the error names both row counts. */
      readonly data: E;
    }
  : unknown;

/**
 * What `fit` returns: the trained parameters, the optimizer state and the history per epoch.
 * @category Training
 */
export interface FitResult<P, S> {
  /** The parameters after the last step. */
  readonly params: P;
  /** The optimizer state after the last step. */
  readonly state: S;
  /** One entry per epoch this call trained, in order. */
  readonly history: readonly {
    /** The epoch, counted from 1. */
    readonly epoch: number;
    /** The mean training loss over the epoch's steps. */
    readonly loss: number;
    /** What `evaluate` returned after the epoch (`{}` without it). */
    readonly metrics: Readonly<Record<string, number>>;
  }[];
  /** Where the run ends (what the last `onEpochEnd` saw): save it to continue with more epochs. */
  readonly trainState: TrainState<P, S>;
}

/**
 * Trains `params` on `data` with `optimizer`. The step is jitted once (every batch has one shape,
 * since the last short batch is dropped) and reused for every batch. Every epoch's shuffle and
 * step keys derive from `key` and the epoch number alone, so a run resumed from an epoch's
 * `TrainState` (`resume`) repeats exactly what the uninterrupted run would have done.
 * @example
 * const model = nn.serial(nn.dense(784, 128), nn.relu, nn.dense(128, 10));
 * type Params = ReturnType<typeof model.init>;
 * const loss = (p: Params, x: Tensor<[number, 784]>, y: Tensor<[number], "int32">) =>
 *   losses.softmaxCrossEntropy(model.apply(p, x), y);
 * declare const train: data.Dataset<Tensor<[number, 784]>, Tensor<[number], "int32">>;
 * const { params, trainState } = fit({ params: model.init(random.key(0)), optimizer: optim.adam(1e-3), loss, data: train, epochs: 5, batchSize: 128 });
 * // five more epochs, exactly as if the run had not stopped
 * const more = fit({ resume: trainState, optimizer: optim.adam(1e-3), loss, data: train, epochs: 10, batchSize: 128 });
 * @category Training
 */
export function fit<P, X extends Rows, Y extends Rows, O extends GradientTransformation<StateFn>>(
  options: FitOptions<P, X, Y, O> & FitCheck<X, Y>,
): FitResult<P, StateOf<O, P>> {
  const { optimizer, loss, data, epochs, batchSize } = options;
  if (!Number.isInteger(epochs) || epochs < 0) throw new RangeError(`fit: epochs must be a non-negative integer, got ${epochs}`);
  const start = startOf(options);
  const rows = checkRows(data, "fit");
  if (batchSize > rows) throw new RangeError(`fit: batchSize ${batchSize} exceeds the ${rows} training examples`);
  const body = (p: P, s: StateOf<O, P>, x: PartOf<X>, y: PartOf<Y>, k: Key) => {
    const [value, g] = (valueAndGrad as (f: unknown) => (...a: unknown[]) => [Tensor<[], FloatDType>, P])(loss)(p, x, y, k);
    const [updates, next] = optimizer.update(g, s as never, p);
    return [applyUpdates(p, updates), next, value] as const;
  };
  // Within an epoch the parameters and optimizer state are fit's own, so each step donates them
  // (new values are written over the old: flat memory). An epoch's first step does not: its
  // inputs are the caller's, or what `evaluate` saw and may have kept.
  const firstStep = jit(body, { name: "step" });
  const nextStep = jit(body, { name: "step", donate: [0, 1] });
  let params = start.params;
  let state = (start.optState ?? optimizer.init(params)) as StateOf<O, P>;
  let stepsDone = start.step;
  const steps = Math.floor(rows / batchSize);
  const history: FitResult<P, StateOf<O, P>>["history"][number][] = [];
  const here = (epoch: number): TrainState<P, StateOf<O, P>> =>
    start.key === undefined ? { params, optState: state, epoch, step: stepsDone } : { params, optState: state, key: start.key, epoch, step: stepsDone };
  for (let epoch = start.epoch + 1; epoch <= epochs; epoch++) {
    const key = start.key === undefined ? undefined : foldIn(start.key, epoch);
    const stepKeys = foldIn(foldIn(start.key ?? FALLBACK_KEY, epoch), STEP_STREAM);
    let total = 0;
    let done = 0;
    for (const batch of batches(data, batchSize, { key, dropRemainder: true })) {
      const step = done === 0 ? firstStep : nextStep;
      let out: readonly [P, unknown, Tensor<[], FloatDType>];
      try {
        out = step(params, state, batch.x, batch.y, foldIn(stepKeys, done));
      } catch (e) {
        throw inStep(e, epoch, done + 1, steps);
      }
      const [p, s, value] = out;
      params = p;
      state = s as StateOf<O, P>;
      total += value.item() as number;
      done++;
      stepsDone++;
      options.onProgress?.({ epoch, epochs, step: done, steps, loss: total / done });
    }
    const metrics = options.evaluate?.(params) ?? {};
    history.push({ epoch, loss: total / Math.max(done, 1), metrics });
    options.onProgress?.({ epoch, epochs, step: done, steps, loss: total / Math.max(done, 1), metrics });
    options.onEpochEnd?.(here(epoch));
  }
  return { params, state, history, trainState: here(Math.max(epochs, start.epoch)) };
}

/** Where a run starts: the caller's parameters at epoch 0, or a training state to resume. */
function startOf<P, S>(options: {
  readonly params?: P;
  readonly state?: S;
  readonly key?: Key;
  readonly resume?: TrainState<P, S>;
}): { params: P; optState?: S; key?: Key; epoch: number; step: number } {
  const { resume } = options;
  if (resume === undefined) return { params: options.params as P, optState: options.state, key: options.key, epoch: 0, step: 0 };
  if (options.params !== undefined || options.state !== undefined || options.key !== undefined) {
    throw new TypeError("fit: resume brings its own params, optimizer state and key; pass either resume or params/state/key, not both");
  }
  for (const [what, n] of [["epoch", resume.epoch], ["step", resume.step]] as const) {
    if (!(Number.isSafeInteger(n) && n >= 0)) throw new RangeError(`fit: resume.${what} must be a non-negative integer, got ${n}`);
  }
  return { params: resume.params, optState: resume.optState, key: resume.key, epoch: resume.epoch, step: resume.step };
}

/**
 * `e` with where it happened in front of its message: a bad label names its position in the
 * batch, this names the batch. The error itself is kept (its class, stack and fields), since a
 * library error's constructor need not take a message. The caller's `params` and `state` are
 * never donated, so they are intact.
 */
function inStep(e: unknown, epoch: number, step: number, steps: number): unknown {
  if (e instanceof Error) e.message = `fit: epoch ${epoch}, step ${step} of ${steps}: ${e.message}`;
  return e;
}
