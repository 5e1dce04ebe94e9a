/**
 * @file In-memory datasets on the host: taking rows by index, shuffling with a key, batching,
 * train/test splits and standardization. These run outside `jit` on concrete tensors; the
 * batches they yield are what a jitted training step consumes.
 */
import * as ops from "../core/ops.js";
import type { AnyTensor } from "../core/ops.js";
import { ConcreteTensor } from "../core/concrete.js";
import { product } from "../shape/arith.js";
import { Tensor, TraceError } from "../core/tensor.js";
import type { DType, FloatDType } from "../dtype.js";
import { ShapeError, showShape } from "../shape/errors.js";
import type { Dim, DimMatch } from "../shape/dim.js";
import type { ShowDim, ShowShape } from "../shape/show.js";
import type { Key } from "../random/key.js";
import { permutation } from "../random/sample.js";

type T = AnyTensor;

/**
 * Examples stacked along axis 0: features `x` and targets `y` with one row per example.
 * @category Data
 */
export interface Dataset<X extends Tensor<[Dim, ...Dim[]], DType>, Y extends Tensor<[Dim, ...Dim[]], DType>> {
  /** The inputs, one example per row. */
  readonly x: X;
  /** The targets, row `i` for example `i`. */
  readonly y: Y;
}

/**
 * A tensor with its leading dim replaced by `N`.
 * @category Data
 */
export type WithRows<X, N extends Dim> = X extends Tensor<[infer _N extends Dim, ...infer Rest extends Dim[]], infer D> ? Tensor<[N, ...Rest], D> : never;

/**
 * The row dim of the parts of a dataset (batches, splits): a name stays, since it stands for a
 * count that is the same for `x` and `y` whatever it is; anything else is `number`.
 * @category Data
 */
export type PartRows<X> = X extends Tensor<readonly [infer R extends Dim, ...infer _Rest extends Dim[]], infer _D> ? (R extends string ? (string extends R ? number : R) : number) : number;

/**
 * A part (a batch, a split) of data `X`: the same tensor type with its row dim as `PartRows`
 * gives it. With `x: Tensor<["batch", 784]>` a batch is a `Tensor<["batch", 784]>`; with
 * `Tensor<[60000, 784]>` or `Tensor<[number, 784]>`, a `Tensor<[number, 784]>`.
 * @category Data
 */
export type PartOf<X> = WithRows<X, PartRows<X>>;

/**
 * `Dataset<X, Y>` when `x` and `y` may have the same number of rows (dim by dim: `number` matches
 * anything, a name only itself), else the message `batches` throws for it.
 * @category Data
 */
export type RowsAgree<Op extends string, X, Y> =
  X extends Tensor<infer SX, DType>
    ? Y extends Tensor<infer SY, DType>
      ? SX extends readonly [infer NX, ...unknown[]]
        ? SY extends readonly [infer NY, ...unknown[]]
          ? DimMatch<NX, NY> extends true
            ? true
            : `${Op}: x and y have different numbers of rows: ${ShowDim<NX>} vs ${ShowDim<NY>} (x is ${ShowShape<SX>}, y is ${ShowShape<SY>})`
          : true
        : true
      : true
    : true;

function concrete(x: T, what: string): ConcreteTensor {
  const c = x.concrete();
  if (c === null) throw new TraceError(`${what} works on concrete data on the host; call it outside jit/vmap`);
  return c instanceof ConcreteTensor ? c : ConcreteTensor.wrap(c.storage, c.shape, c.dtype);
}

/**
 * Rows `indices` of `x` (along axis 0), copied into a new tensor.
 * @category Data
 */
export function takeRows<X extends Tensor<[Dim, ...Dim[]], DType>>(x: X, indices: ArrayLike<number>): WithRows<X, number> {
  const c = concrete(x as unknown as T, "takeRows");
  const n = c.shape[0];
  const row = product(c.shape.slice(1));
  const out = c.storage.constructor as new (len: number) => typeof c.storage;
  const storage = new out(indices.length * row);
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i];
    if (!Number.isInteger(r) || r < 0 || r >= n) throw new RangeError(`takeRows: index ${r} out of range for ${n} rows`);
    storage.set(c.storage.subarray(r * row, (r + 1) * row) as never, i * row);
  }
  return ConcreteTensor.wrap(storage, [indices.length, ...c.shape.slice(1)], c.dtype) as never;
}

/** The number of rows of `data`, after checking `x` and `y` have the same (a `ShapeError` naming `what` otherwise). Internal. */
export function checkRows(data: Dataset<Tensor<[Dim, ...Dim[]], DType>, Tensor<[Dim, ...Dim[]], DType>>, what: string): number {
  const nx = data.x.shape[0];
  const ny = data.y.shape[0];
  if (nx !== ny) {
    throw new ShapeError(`${what}: x and y have different numbers of rows: ${nx} vs ${ny} (x is ${showShape(data.x.shape)}, y is ${showShape(data.y.shape)})`);
  }
  return nx;
}

/**
 * Options of `batches`.
 * @category Data
 */
export interface BatchOptions {
  /** Shuffle the rows with this key first (a new key each epoch gives a new order). */
  readonly key?: Key;
  /** Drop a last batch smaller than `batchSize` (keeps every batch's shape, so jit traces once). */
  readonly dropRemainder?: boolean;
}

/**
 * The dataset in batches of `batchSize` rows, optionally shuffled by `key`.
 * @example
 * declare const train: data.Dataset<Tensor<[number, 784]>, Tensor<[number], "int32">>;
 * declare const step: (x: Tensor<[number, 784]>, y: Tensor<[number], "int32">) => void;
 * for (let epoch = 0; epoch < 5; epoch++) {
 *   for (const { x, y } of data.batches(train, 128, { key: random.foldIn(random.key(0), epoch) })) step(x, y);
 * }
 * @category Data
 */
export function* batches<X extends Tensor<[Dim, ...Dim[]], DType>, Y extends Tensor<[Dim, ...Dim[]], DType>>(
  data: Dataset<X, Y>,
  batchSize: number,
  options: BatchOptions = {},
): Generator<Dataset<PartOf<X>, PartOf<Y>>> {
  if (!Number.isInteger(batchSize) || batchSize <= 0) throw new RangeError(`batches: batchSize must be a positive integer, got ${batchSize}`);
  const n = checkRows(data, "batches");
  const order =
    options.key === undefined ? Array.from({ length: n }, (_, i) => i) : Array.from(permutation(options.key, n).data());
  const end = options.dropRemainder ? n - (n % batchSize) : n;
  for (let start = 0; start < end; start += batchSize) {
    const idx = order.slice(start, Math.min(start + batchSize, end));
    yield { x: takeRows(data.x, idx), y: takeRows(data.y, idx) } as never;
  }
}

/**
 * Splits a dataset into a training part with `trainFraction` of the rows and a test part with the
 * rest; with `key`, rows are shuffled first.
 * @category Data
 */
export function trainTestSplit<X extends Tensor<[Dim, ...Dim[]], DType>, Y extends Tensor<[Dim, ...Dim[]], DType>>(
  data: Dataset<X, Y>,
  trainFraction: number,
  key?: Key,
): {
  /** The first `trainFraction` of the (shuffled) rows. */
  train: Dataset<PartOf<X>, PartOf<Y>>;
  /** The other rows. */
  test: Dataset<PartOf<X>, PartOf<Y>>;
} {
  if (!(trainFraction > 0 && trainFraction < 1)) throw new RangeError(`trainTestSplit: trainFraction must be in (0, 1), got ${trainFraction}`);
  const n = checkRows(data, "trainTestSplit");
  const order = key === undefined ? Array.from({ length: n }, (_, i) => i) : Array.from(permutation(key, n).data());
  const cut = Math.round(n * trainFraction);
  const part = (idx: number[]) => ({ x: takeRows(data.x, idx), y: takeRows(data.y, idx) }) as never;
  return { train: part(order.slice(0, cut)), test: part(order.slice(cut)) };
}

/**
 * Per-feature mean and standard deviation, as `standardize` computes them.
 * @category Data
 */
export interface Standardizer<F extends Tensor<Dim[], FloatDType>> {
  /** The per-feature mean of the fitted rows. */
  readonly mean: F;
  /** The per-feature standard deviation of the fitted rows (1 where it was 0). */
  readonly std: F;
  /** (x − mean) / std, for new data with the same features. */
  apply<X extends Tensor<[Dim, ...Dim[]], FloatDType>>(x: X): X;
}

/**
 * Fits per-feature mean and standard deviation over axis 0 (features with zero spread get std 1,
 * so they map to 0) and returns the standardized data with the fitted transform.
 * @category Data
 */
export function standardize<X extends Tensor<[Dim, ...Dim[]], FloatDType>>(
  x: X,
): {
  /** The standardized rows. */
  x: X;
  /** The fitted transform, to apply to new data (test sets, inputs at inference). */
  standardizer: Standardizer<Tensor<Dim[], FloatDType>>;
} {
  const t = x as unknown as T;
  const n = t.shape[0];
  if (n === 0) throw new ShapeError("standardize: needs at least one row");
  const count = ops.filled(t.shape.slice(1), n, t.dtype);
  const feature = t.shape.slice(1);
  const per = (s: T) => ops.broadcastInDim(s, t.shape, feature.map((_, i) => i + 1));
  const mean = ops.div(ops.reduceSum(t, [0]), count);
  const centered = ops.sub(t, per(mean));
  const variance = ops.div(ops.reduceSum(ops.mul(centered, centered), [0]), count);
  const rawStd = ops.sqrt(variance);
  const zero = ops.compare(rawStd, ConcreteTensor.full(feature, 0, t.dtype), "eq");
  const std = ops.select(zero, ConcreteTensor.full(feature, 1, t.dtype), rawStd);
  const apply = <Y extends Tensor<[Dim, ...Dim[]], FloatDType>>(y: Y): Y => {
    const u = y as unknown as T;
    const b = (s: T) => ops.broadcastInDim(s, u.shape, feature.map((_, i) => i + 1));
    return ops.div(ops.sub(u, b(mean)), b(std)) as unknown as Y;
  };
  return {
    x: apply(x),
    standardizer: { mean: mean as never, std: std as never, apply },
  };
}
