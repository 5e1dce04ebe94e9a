/**
 * @file The common training loop: epochs × shuffled batches, one jitted step per batch
 * (value and gradient of the loss, optimizer update), metrics per epoch, progress callbacks.
 * Everything stays pure: parameters and optimizer state go in and come out.
 */
import { applyUpdates } from "../optim/transformation.js";
import type { GradientTransformation, StateFn, StateOf } from "../optim/transformation.js";
import { batches, checkRows, type Dataset, type PartOf, type RowsAgree } from "../data/dataset.js";
import { foldIn, key as makeKey, type Key } from "../random/key.js";

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

/** What the loop reports after each step and each epoch. */
export interface Progress {
  readonly epoch: number;
  readonly epochs: number;
  /** Steps done in this epoch, and the epoch's total. */
  readonly step: number;
  readonly steps: number;
  /** Mean training loss over the epoch so far. */
  readonly loss: number;
  /** The epoch's metrics (from `evaluate`), present on epoch ends. */
  readonly metrics?: Readonly<Record<string, number>>;
}

/**
 * Options of `fit`. The types come from `params` and `data` alone (`NoInfer` elsewhere): `loss`
 * and `evaluate` are checked against them, never used to guess them. A batch is typed `PartOf` the
 * data: a named row dim (`Tensor<["batch", 784]>`, see `withDims`) stays that name, so a loss
 * written for `Tensor<["batch", 784]>` and `Tensor<["batch"], "int32">` fits data named so; any
 * other row dim is `number` in a batch (a batch is not the whole data).
 */
export interface FitOptions<P, X extends Rows, Y extends Rows, O extends GradientTransformation<StateFn>> {
  /** Initial parameters. */
  readonly params: P;
  /** The optimizer. */
  readonly optimizer: O;
  /** Scalar loss of parameters on one batch; `key` is fresh for every step (for dropout and the like). */
  readonly loss: (params: NoInfer<P>, x: NoInfer<PartOf<X>>, y: NoInfer<PartOf<Y>>, key: Key) => Tensor<[], FloatDType>;
  /** Training data, one example per row (`x` and `y` must have the same number of rows). */
  readonly data: Dataset<X, Y>;
  readonly epochs: number;
  readonly batchSize: number;
  /** Shuffles the data; epoch e uses `foldIn(key, e)`. Without a key, batches keep data order. */
  readonly key?: Key;
  /** Metrics computed from the parameters after each epoch (e.g. held-out accuracy). */
  readonly evaluate?: (params: NoInfer<P>) => Readonly<Record<string, number>>;
  /** Called after every step and with the metrics after every epoch. */
  readonly onProgress?: (progress: Progress) => void;
  /** Optimizer state to resume from (default: `optimizer.init(params)`). */
  readonly state?: NoInfer<StateOf<O, P>>;
}

/** `{}` when the data's `x` and `y` may have the same number of rows, else `data` typed as the message. */
export type FitCheck<X, Y> = RowsAgree<"fit", X, Y> extends infer E extends string ? { readonly data: E } : unknown;

/** What `fit` returns: the trained parameters, the optimizer state and the history per epoch. */
export interface FitResult<P, S> {
  readonly params: P;
  readonly state: S;
  readonly history: readonly { readonly epoch: number; readonly loss: number; readonly metrics: Readonly<Record<string, number>> }[];
}

/**
 * Trains `params` on `data` with `optimizer`. The step is jitted once (every batch has one shape,
 * since the last short batch is dropped) and reused for every batch.
 * @example
 * const { params: trained } = fit({ params, optimizer: optim.adam(1e-3), loss, data: train, epochs: 5, batchSize: 128 });
 * @category Training
 */
export function fit<P, X extends Rows, Y extends Rows, O extends GradientTransformation<StateFn>>(
  options: FitOptions<P, X, Y, O> & FitCheck<X, Y>,
): FitResult<P, StateOf<O, P>> {
  const { optimizer, loss, data, epochs, batchSize } = options;
  if (!Number.isInteger(epochs) || epochs < 0) throw new RangeError(`fit: epochs must be a non-negative integer, got ${epochs}`);
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
  let params = options.params;
  let state = (options.state ?? optimizer.init(params)) as StateOf<O, P>;
  const steps = Math.floor(rows / batchSize);
  const history: FitResult<P, StateOf<O, P>>["history"][number][] = [];
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const key = options.key === undefined ? undefined : foldIn(options.key, epoch);
    const stepKeys = foldIn(foldIn(options.key ?? FALLBACK_KEY, epoch), STEP_STREAM);
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
      options.onProgress?.({ epoch, epochs, step: done, steps, loss: total / done });
    }
    const metrics = options.evaluate?.(params) ?? {};
    history.push({ epoch, loss: total / Math.max(done, 1), metrics });
    options.onProgress?.({ epoch, epochs, step: done, steps, loss: total / Math.max(done, 1), metrics });
  }
  return { params, state, history };
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
