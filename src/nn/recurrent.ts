/**
 * @file Recurrent layers over `scan`: `simpleRnn`, `lstm` and `gru` map per-example sequences
 * `[time, in]` to `[time, hidden]` (or the last state, `[hidden]`). The input projection of every
 * step is one matrix product before the loop; the loop, a `scan` over time, does only the
 * recurrent product and the gates, so its IR and compile time do not grow with the sequence length.
 * Gate layouts and the default initialization follow PyTorch's (uniform in ±1/√hidden).
 */
import * as core from "../core/ops.js";
import type { AnyTensor } from "../core/ops.js";
import type { Tensor } from "../core/tensor.js";
import type { DType, FloatDType } from "../dtype.js";
import { splitList, type Key } from "../random/key.js";
import { uniform } from "../random/sample.js";
import { scan } from "../control/scan.js";
import type { Dim, DimMatch, IsTuple } from "../shape/dim.js";
import { ShapeError, showShape } from "../shape/errors.js";
import type { ShowShape } from "../shape/show.js";
import type { Mul } from "../shape/arith.js";
import type { Layer, LayerFn, Value } from "./layer.js";
import { makeLayer } from "./layer.js";
import type { NotOneTensor } from "./shape-check.js";
import { checkSize, layerDType, perExample } from "./shape-check.js";
import { addLast, matmulLast } from "./tensor-math.js";

type T = AnyTensor;

/**
 * Options of the recurrent layers.
 * @category Layers
 */
export interface RecurrentOptions<Seq extends boolean, D extends FloatDType = "float32"> {
  /** The dtype of the parameters (default float32); inputs must have it too. */
  readonly dtype?: D;
  /** Return the state at every step, `[time, hidden]` (default), or only the last one, `[hidden]`. */
  readonly returnSequences?: Seq;
  /** Run over the sequence from its end (the outputs stay in the order of the input). */
  readonly reverse?: boolean;
}

/**
 * Per-example `[time, I]` to `[time, H]` (or `[H]` with `returnSequences: false`), keeping the dtype.
 * @category Layers
 */
export type RecurrentMap<X, Name extends string, I extends number, H extends number, Seq extends boolean> =
  X extends Tensor<infer S, infer D extends DType>
    ? S extends readonly [infer Time extends Dim, infer F]
      ? DimMatch<F, I> extends true
        ? Seq extends false
          ? Tensor<[H], D>
          : Tensor<[Time, H], D>
        : `${Name} expects input [time, ${I}] but got ${ShowShape<S>}`
      : IsTuple<S> extends false
        ? Seq extends false
          ? Tensor<[H], D>
          : Tensor<[number, H], D>
        : `${Name} expects input [time, ${I}] but got ${ShowShape<S>}`
    : NotOneTensor<Name, X>;

/**
 * Shape function of a recurrent layer.
 * @category Layers
 */
export interface RecurrentFn<Name extends string, I extends number, H extends number, Seq extends boolean> extends LayerFn {
  /** `[time, I]` to `[time, H]` (or `[H]`, the last step, without `returnSequences`); an error for other inputs. */
  readonly out: RecurrentMap<this["in"], Name, I, H, Seq>;
}

/**
 * Parameters of `simpleRnn(I, H)`: input weights, recurrent weights, bias.
 * @category Layers
 */
export type SimpleRnnParams<I extends number, H extends number, D extends FloatDType = "float32"> = {
  /** Input to hidden weights. */
  wi: Tensor<[I, H], D>;
  /** Hidden to hidden (recurrent) weights. */
  wh: Tensor<[H, H], D>;
  /** The bias. */
  b: Tensor<[H], D>;
};
/**
 * Parameters of `lstm(I, H)`: gates input, forget, cell, output stacked along the last axis (`4H`).
 * @category Layers
 */
export type LstmParams<I extends number, H extends number, D extends FloatDType = "float32"> = {
  /** Input weights of the four gates. */
  wi: Tensor<[I, Mul<4, H>], D>;
  /** Recurrent weights of the four gates. */
  wh: Tensor<[H, Mul<4, H>], D>;
  /** The gates' bias. */
  b: Tensor<[Mul<4, H>], D>;
};
/**
 * Parameters of `gru(I, H)`: gates reset, update, new stacked along the last axis (`3H`), with separate input and recurrent biases.
 * @category Layers
 */
export type GruParams<I extends number, H extends number, D extends FloatDType = "float32"> = {
  /** Input weights of the three gates. */
  wi: Tensor<[I, Mul<3, H>], D>;
  /** Recurrent weights of the three gates. */
  wh: Tensor<[H, Mul<3, H>], D>;
  /** The input-side bias of the gates. */
  bi: Tensor<[Mul<3, H>], D>;
  /** The recurrent-side bias (inside the reset gate's product for the new gate, as in PyTorch). */
  bh: Tensor<[Mul<3, H>], D>;
};

/** The runtime twin of `RecurrentMap`'s check; returns `x` time-major, `[time, batch, in]`. */
function timeMajor(name: string, x: Value, inFeatures: number): T {
  const s = perExample(name, x);
  if (s.length !== 2 || s[1] !== inFeatures) throw new ShapeError(`${name} expects input [time, ${inFeatures}] but got ${showShape(s)}`);
  return core.transpose(x as T, [1, 0, 2]);
}

/** `[batch, time, hidden]` from the stacked states, or the last state. */
function output(states: T, last: T, returnSequences: boolean): T {
  return returnSequences ? core.transpose(states, [1, 0, 2]) : last;
}

/** Columns `[k·h, (k + 1)·h)` of the last axis of `[batch, g·h]`. */
function gate(z: T, k: number, h: number): T {
  const [b] = z.shape;
  return core.slice(z, [0, k * h], [b, (k + 1) * h]);
}

const sigmoid = (x: T): T => {
  const half = core.fullLike(x, 0.5);
  return core.mul(core.add(core.tanh(core.mul(x, half)), core.fullLike(x, 1)), half);
};

/** PyTorch's default: every weight and bias uniform in ±1/√hidden, drawn in `dtype`. */
function uniformParams(key: Key, hidden: number, shapes: Record<string, number[]>, dtype: FloatDType): Record<string, Tensor<number[], FloatDType>> {
  const names = Object.keys(shapes);
  const keys = splitList(key, names.length);
  const bound = 1 / Math.sqrt(hidden);
  return Object.fromEntries(names.map((n, i) => [n, uniform(keys[i], shapes[n], { minval: -bound, maxval: bound, dtype })]));
}

/** Runs `step` over time from a zero state; `inputs` is the projected input, time-major. */
function recur(inputs: T, carry0: T[], step: (carry: T[], z: T) => T[], reverse: boolean): [T[], T] {
  const [carry, ys] = scan(
    (c: T[], z: T) => {
      const next = step(c, z);
      return [next, next[0]] as const;
    },
    carry0,
    inputs,
    { reverse },
  ) as unknown as [T[], T];
  return [carry, ys];
}

type RnnLayer<Name extends string, I extends number, H extends number, Seq extends boolean, P> = Layer<RecurrentFn<Name, I, H, Seq>, P>;

/**
 * An Elman recurrent layer: `h_t = tanh(x_t·wi + h_{t−1}·wh + b)` from `h_0 = 0`, on per-example
 * sequences `[time, in]` (batched input `[batch, time, in]`), returning `[time, hidden]` (or the
 * last state with `returnSequences: false`).
 * @example
 * const rnn = nn.simpleRnn(8, 32); // Tensor<[B, 50, 8]> → Tensor<[B, 50, 32]>
 * @category Layers
 */
export function simpleRnn<const I extends number, const H extends number, const Seq extends boolean = true, D extends FloatDType = "float32">(
  inFeatures: I,
  hidden: H,
  options: RecurrentOptions<Seq, D> = {},
): RnnLayer<`simpleRnn(${I}, ${H})`, I, H, Seq, SimpleRnnParams<I, H, D>> {
  const name = `simpleRnn(${inFeatures}, ${hidden})` as const;
  checkSize(name, "the input size", inFeatures);
  checkSize(name, "the hidden size", hidden);
  const own = layerDType(name, options.dtype);
  return makeLayer<RecurrentFn<typeof name, I, H, Seq>, SimpleRnnParams<I, H, D>>({
    name,
    init: (key, dtype = own) => uniformParams(key, hidden, { wi: [inFeatures, hidden], wh: [hidden, hidden], b: [hidden] }, dtype) as never,
    apply: (p, x) => {
      const xs = addLast(matmulLast(timeMajor(name, x, inFeatures), p.wi as T), p.b as T);
      const [[h], ys] = recur(xs, [core.filled([xs.shape[1], hidden], 0, xs.dtype)], ([h], z) => [core.tanh(core.add(z, matmulLast(h, p.wh as T)))], options.reverse ?? false);
      return output(ys, h, options.returnSequences ?? true) as never;
    },
  });
}

/**
 * A long short-term memory layer (Hochreiter & Schmidhuber), PyTorch's gate order (input, forget,
 * cell, output): `c_t = σ(f)·c_{t−1} + σ(i)·tanh(g)`, `h_t = σ(o)·tanh(c_t)`, from zero states.
 * Per-example `[time, in]` to `[time, hidden]` (or the last `h` with `returnSequences: false`).
 * @example
 * const model = nn.serial(nn.lstm(8, 64, { returnSequences: false }), nn.dense(64, 1));
 * @category Layers
 */
export function lstm<const I extends number, const H extends number, const Seq extends boolean = true, D extends FloatDType = "float32">(
  inFeatures: I,
  hidden: H,
  options: RecurrentOptions<Seq, D> = {},
): RnnLayer<`lstm(${I}, ${H})`, I, H, Seq, LstmParams<I, H, D>> {
  const name = `lstm(${inFeatures}, ${hidden})` as const;
  checkSize(name, "the input size", inFeatures);
  checkSize(name, "the hidden size", hidden);
  const own = layerDType(name, options.dtype);
  return makeLayer<RecurrentFn<typeof name, I, H, Seq>, LstmParams<I, H, D>>({
    name,
    init: (key, dtype = own) => uniformParams(key, hidden, { wi: [inFeatures, 4 * hidden], wh: [hidden, 4 * hidden], b: [4 * hidden] }, dtype) as never,
    apply: (p, x) => {
      const xs = addLast(matmulLast(timeMajor(name, x, inFeatures), p.wi as T), p.b as T);
      const zero = core.filled([xs.shape[1], hidden], 0, xs.dtype);
      const [[h], ys] = recur(
        xs,
        [zero, zero],
        ([h, c], zx) => {
          const z = core.add(zx, matmulLast(h, p.wh as T));
          const cNext = core.add(core.mul(sigmoid(gate(z, 1, hidden)), c), core.mul(sigmoid(gate(z, 0, hidden)), core.tanh(gate(z, 2, hidden))));
          return [core.mul(sigmoid(gate(z, 3, hidden)), core.tanh(cNext)), cNext];
        },
        options.reverse ?? false,
      );
      return output(ys, h, options.returnSequences ?? true) as never;
    },
  });
}

/**
 * A gated recurrent unit (Cho et al.), PyTorch's formulation: `r = σ(x·wi_r + bi_r + h·wh_r +
 * bh_r)`, `z` likewise, `n = tanh(x·wi_n + bi_n + r·(h·wh_n + bh_n))`, `h_t = (1 − z)·n + z·h_{t−1}`.
 * Per-example `[time, in]` to `[time, hidden]` (or the last state with `returnSequences: false`).
 * @example
 * const enc = nn.gru(16, 32); // Tensor<[B, T, 16]> → Tensor<[B, T, 32]>
 * @category Layers
 */
export function gru<const I extends number, const H extends number, const Seq extends boolean = true, D extends FloatDType = "float32">(
  inFeatures: I,
  hidden: H,
  options: RecurrentOptions<Seq, D> = {},
): RnnLayer<`gru(${I}, ${H})`, I, H, Seq, GruParams<I, H, D>> {
  const name = `gru(${inFeatures}, ${hidden})` as const;
  checkSize(name, "the input size", inFeatures);
  checkSize(name, "the hidden size", hidden);
  const own = layerDType(name, options.dtype);
  return makeLayer<RecurrentFn<typeof name, I, H, Seq>, GruParams<I, H, D>>({
    name,
    init: (key, dtype = own) =>
      uniformParams(key, hidden, { wi: [inFeatures, 3 * hidden], wh: [hidden, 3 * hidden], bi: [3 * hidden], bh: [3 * hidden] }, dtype) as never,
    apply: (p, x) => {
      const xs = addLast(matmulLast(timeMajor(name, x, inFeatures), p.wi as T), p.bi as T);
      const [[h], ys] = recur(
        xs,
        [core.filled([xs.shape[1], hidden], 0, xs.dtype)],
        ([h], zx) => {
          const zh = addLast(matmulLast(h, p.wh as T), p.bh as T);
          const r = sigmoid(core.add(gate(zx, 0, hidden), gate(zh, 0, hidden)));
          const u = sigmoid(core.add(gate(zx, 1, hidden), gate(zh, 1, hidden)));
          const n = core.tanh(core.add(gate(zx, 2, hidden), core.mul(r, gate(zh, 2, hidden))));
          // (1 − u)·n + u·h = n + u·(h − n)
          return [core.add(n, core.mul(u, core.sub(h, n)))];
        },
        options.reverse ?? false,
      );
      return output(ys, h, options.returnSequences ?? true) as never;
    },
  });
}
