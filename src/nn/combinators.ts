/**
 * @file Layer combinators: `serial` (a stack), `parallel` (branches on the same input) and
 * `residual` (`x + f(x)`). Their shape functions fold their layers' shape functions, so a
 * mis-wired stack is a compile error on the offending layer's argument, and at run time a
 * `ShapeError` with the same `layer i: …` text.
 */
import { DTypeError } from "../core/errors.js";
import * as core from "../core/ops.js";
import type { AnyTensor } from "../core/ops.js";
import type { Tensor } from "../core/tensor.js";
import type { DType, FloatDType } from "../dtype.js";
import { splitList } from "../random/key.js";
import type { Key } from "../random/key.js";
import type { Dim } from "../shape/dim.js";
import { ShapeError, showShape } from "../shape/errors.js";
import type { ShowShape } from "../shape/show.js";
import type { AnyLayer, ApplyOptions, CallLayerFn, FnOf, Layer, LayerFn, ParamsOf, StateOf, Value } from "./layer.js";
import { makeLayer } from "./layer.js";
import type { ShapesMatch, ShowValue } from "./shape-check.js";
import { oneTensor } from "./shape-check.js";

// ---- type level ----

/** The per-example input a combinator assumes when its layers are checked at construction: any tensor. */
type Unknown = Tensor<Dim[], DType>;

/** Layer `L` applied to per-example value `X` with parameters `P`: the output or an error message. */
type CallLayer<L, X, P = unknown> = CallLayerFn<FnOf<L>, X, P>;

/** The first entry of a parameter tuple (`unknown` when the parameters are not known). */
type HeadParams<Ps> = Ps extends readonly [infer P, ...unknown[]] ? P : unknown;
/** The entries after the first of a parameter tuple (`unknown` when the parameters are not known). */
type TailParams<Ps> = Ps extends readonly [unknown, ...infer R] ? R : unknown;

/** Folds `X` through `Ls` (with their parameters `Ps`); the first failure becomes `"layer i: <message>"`. */
type Chain<Ls, X, Ps, I extends 0[] = []> = Ls extends readonly [infer L, ...infer R]
  ? CallLayer<L, X, HeadParams<Ps>> extends infer Y
    ? Y extends string
      ? `layer ${I["length"]}: ${Y}`
      : Chain<R, Y, TailParams<Ps>, [...I, 0]>
    : never
  : X;

/** `Ls` with its first failing layer replaced by the message: what `serial`'s arguments are checked against. */
type ValidateChain<Ls, X, Acc extends unknown[] = []> = Ls extends readonly [infer L, ...infer R]
  ? CallLayer<L, X> extends infer Y
    ? Y extends string
      ? [...Acc, `layer ${Acc["length"]}: ${Y}`, ...R]
      : ValidateChain<R, Y, [...Acc, L]>
    : never
  : Acc;

/**
 * Shape function of `serial(...Ls)`.
 * @category Combinators
 */
export interface SerialFn<Ls> extends LayerFn {
  /** The last layer's output after feeding `this["in"]` through every layer in order, or the first layer's error. */
  readonly out: Chain<Ls, this["in"], this["params"]>;
}

/** Applies every branch to `X` (with their parameters `Ps`); the first failure becomes `"branch i: <message>"`. */
type Branches<Ls, X, Ps, Acc extends unknown[] = []> = Ls extends readonly [infer L, ...infer R]
  ? CallLayer<L, X, HeadParams<Ps>> extends infer Y
    ? Y extends string
      ? `branch ${Acc["length"]}: ${Y}`
      : Branches<R, X, TailParams<Ps>, [...Acc, Y]>
    : never
  : Acc;

type ValidateBranches<Ls, X, Acc extends unknown[] = []> = Ls extends readonly [infer L, ...infer R]
  ? CallLayer<L, X> extends infer Y
    ? Y extends string
      ? [...Acc, `branch ${Acc["length"]}: ${Y}`, ...R]
      : ValidateBranches<R, X, [...Acc, L]>
    : never
  : Acc;

/**
 * Shape function of `parallel(...Ls)`: a tuple of the branches' outputs.
 * @category Combinators
 */
export interface ParallelFn<Ls> extends LayerFn {
  /** The tuple of each branch's output on `this["in"]`, or the first branch's error. */
  readonly out: Branches<Ls, this["in"], this["params"]>;
}

/** `x + f(x)` for `f`'s output `Y` on input `X`: `X`, or why the shapes do not allow it. */
type ResidualOut<Y, X> = Y extends string
  ? `residual: ${Y}`
  : X extends Tensor<infer SX, DType>
    ? Y extends Tensor<infer SY, DType>
      ? ShapesMatch<SX, SY> extends true
        ? X
        : `residual: the layer maps ${ShowShape<SX>} to ${ShowShape<SY>}, but x + f(x) needs equal shapes`
      : `residual: the layer returns ${ShowValue<Y>}, but x + f(x) needs one tensor`
    : `residual: x + f(x) needs one tensor but got ${ShowValue<X>}`;

/**
 * Shape function of `residual(L)`.
 * @category Combinators
 */
export interface ResidualFn<L> extends LayerFn {
  /** `this["in"]` again when the wrapped layer keeps its shape and dtype; an error otherwise. */
  readonly out: ResidualOut<CallLayer<L, this["in"], this["params"]>, this["in"]>;
}

/** Construction check of `residual(L)`: `L` applied to its own output must fit (it keeps the shape). */
type ResidualCheck<L> =
  CallLayer<L, Unknown> extends infer Y
    ? Y extends string
      ? `residual: ${Y}`
      : CallLayer<L, Y> extends infer Y2 extends string
        ? `residual: x + f(x) needs f to keep the shape, but f's output ${ShowValue<Y>} is not a valid input: ${Y2}`
        : ResidualOut<CallLayer<L, Y>, Y>
    : never;

/**
 * The parameter trees of a list of layers, as a tuple.
 * @category Combinators
 */
export type ParamsList<Ls> = { -readonly [K in keyof Ls]: ParamsOf<Ls[K]> };
/**
 * The states of a list of layers, as a tuple.
 * @category Combinators
 */
export type StateList<Ls> = { -readonly [K in keyof Ls]: StateOf<Ls[K]> };

// ---- run time ----

/** Runs `f`, prefixing `"<prefix>: "` to a `ShapeError`'s message, as the type-level folds do. */
function prefixed<R>(prefix: string, f: () => R): R {
  try {
    return f();
  } catch (e) {
    if (e instanceof ShapeError) throw new ShapeError(`${prefix}: ${e.message}`, { cause: e });
    if (e instanceof DTypeError) throw new DTypeError(`${prefix}: ${e.message}`, { cause: e });
    throw e;
  }
}

/** A sub-layer's parameters in the dtype a combinator's `init` was asked for (its own when none). */
function initIn(l: AnyLayer, key: Key, dtype: FloatDType | undefined): unknown {
  return dtype === undefined ? l.init(key) : l.init(key, { dtype });
}

/** A sub-layer's state in the dtype a combinator's `initState` was asked for (its own when none). */
function stateIn(l: AnyLayer, dtype: FloatDType | undefined): unknown {
  return dtype === undefined ? l.initState() : l.initState({ dtype });
}

/** One key per layer from `key` (split once), or none. */
function keysFor(key: Key | undefined, n: number): (Key | undefined)[] {
  return key === undefined ? new Array<undefined>(n).fill(undefined) : splitList(key, n);
}

function subOptions(opts: ApplyOptions, key: Key | undefined): ApplyOptions {
  return key === undefined ? { training: opts.training } : { training: opts.training, key };
}

/**
 * Layers in sequence. Params and state are tuples with one entry per layer; `init`'s key (and
 * `opts.key`, when given) is split once into one key per layer. Each layer's input must be the
 * previous one's output: `serial(dense(784, 128), relu, dense(256, 10))` fails `tsc` on the
 * third argument with `"layer 2: dense(256, 10) expects input [256] but got [128]"`. Start with
 * `input(shape)` to check a stack whose output depends on the input size (convolutions).
 * @example
 * const mlp = nn.serial(nn.dense(784, 128), nn.relu, nn.dense(128, 10));
 * const params = mlp.init(random.key(0)); // [{ w, b }, {}, { w, b }]
 * // @ts-expect-error: layer 2: dense(256, 10) expects input [256] but got [128]
 * nn.serial(nn.dense(784, 128), nn.relu, nn.dense(256, 10));
 * @category Combinators
 */
export function serial<Ls extends readonly AnyLayer[]>(
  ...layers: Ls extends ValidateChain<Ls, Unknown> ? Ls : ValidateChain<Ls, Unknown>
): Layer<SerialFn<Ls>, ParamsList<Ls>, StateList<Ls>> {
  const ls = layers as unknown as readonly AnyLayer[];
  const n = ls.length;
  return makeLayer<SerialFn<Ls>, ParamsList<Ls>, StateList<Ls>>({
    name: `serial(${ls.map((l) => l.name).join(", ")})`,
    init: (key, dtype) => {
      const keys = splitList(key, n);
      return ls.map((l, i) => initIn(l, keys[i], dtype)) as ParamsList<Ls>;
    },
    initState: (dtype) => ls.map((l) => stateIn(l, dtype)) as StateList<Ls>,
    apply: (params, x, opts) => {
      const ps = params as readonly unknown[];
      const keys = keysFor(opts.key, n);
      return ls.reduce<Value>((h, l, i) => prefixed(`layer ${i}`, () => l.apply(ps[i], h as never, subOptions(opts, keys[i]))), x);
    },
    applyStateful: (params, state, x, opts) => {
      const ps = params as readonly unknown[];
      const ss = state as readonly unknown[];
      const keys = keysFor(opts.key, n);
      const states: unknown[] = [];
      let h: Value = x;
      ls.forEach((l, i) => {
        const [y, s] = prefixed(`layer ${i}`, () => l.applyStateful(ps[i], ss[i], h as never, subOptions(opts, keys[i])));
        h = y as Value;
        states.push(s);
      });
      return [h, states as StateList<Ls>];
    },
  });
}

/**
 * Branches applied to the same input; the output is a tuple of their outputs (each with the batch
 * dim). Params and state are tuples, keys are split once per branch, and a branch that rejects
 * the input fails with `"branch i: …"`.
 * @example
 * const heads = nn.parallel(nn.dense(64, 10), nn.dense(64, 1)); // Tensor<[B, 64]> → [Tensor<[B, 10]>, Tensor<[B, 1]>]
 * @category Combinators
 */
export function parallel<Ls extends readonly AnyLayer[]>(
  ...layers: Ls extends ValidateBranches<Ls, Unknown> ? Ls : ValidateBranches<Ls, Unknown>
): Layer<ParallelFn<Ls>, ParamsList<Ls>, StateList<Ls>> {
  const ls = layers as unknown as readonly AnyLayer[];
  const n = ls.length;
  return makeLayer<ParallelFn<Ls>, ParamsList<Ls>, StateList<Ls>>({
    name: `parallel(${ls.map((l) => l.name).join(", ")})`,
    init: (key, dtype) => {
      const keys = splitList(key, n);
      return ls.map((l, i) => initIn(l, keys[i], dtype)) as ParamsList<Ls>;
    },
    initState: (dtype) => ls.map((l) => stateIn(l, dtype)) as StateList<Ls>,
    apply: (params, x, opts) => {
      const ps = params as readonly unknown[];
      const keys = keysFor(opts.key, n);
      return ls.map((l, i) => prefixed(`branch ${i}`, () => l.apply(ps[i], x as never, subOptions(opts, keys[i])) as Value));
    },
    applyStateful: (params, state, x, opts) => {
      const ps = params as readonly unknown[];
      const ss = state as readonly unknown[];
      const keys = keysFor(opts.key, n);
      const outs = ls.map((l, i) => prefixed(`branch ${i}`, () => l.applyStateful(ps[i], ss[i], x as never, subOptions(opts, keys[i]))));
      return [outs.map(([y]) => y as Value), outs.map(([, s]) => s) as StateList<Ls>];
    },
  });
}

/**
 * `x + f(x)`: a skip connection around `layer`, which must keep the per-example shape (checked
 * at the type level: `residual(dense(128, 64))` is a compile error). Params and state are the
 * layer's own.
 * @example
 * const block = nn.residual(nn.serial(nn.dense(128, 128), nn.relu));
 * @category Combinators
 */
export function residual<L extends AnyLayer>(
  layer: ResidualCheck<L> extends infer E extends string ? E : L,
): Layer<ResidualFn<L>, ParamsOf<L>, StateOf<L>> {
  const l = layer as AnyLayer;
  const name = `residual(${l.name})`;
  const skip = (x: Value, y: unknown): AnyTensor => {
    const xt = oneTensor("residual: x + f(x)", x);
    const yt = oneTensor("residual: the layer", y as Value);
    if (xt.shape.join() !== yt.shape.join()) {
      throw new ShapeError(
        `residual: the layer maps ${showShape(xt.shape.slice(1))} to ${showShape(yt.shape.slice(1))}, but x + f(x) needs equal shapes`,
      );
    }
    return core.add(xt, yt);
  };
  return makeLayer<ResidualFn<L>, ParamsOf<L>, StateOf<L>>({
    name,
    init: (key, dtype) => initIn(l, key, dtype) as ParamsOf<L>,
    initState: (dtype) => stateIn(l, dtype) as StateOf<L>,
    apply: (params, x, opts) => skip(x, prefixed("residual", () => l.apply(params, x as never, opts))),
    applyStateful: (params, state, x, opts) => {
      const [y, s] = prefixed("residual", () => l.applyStateful(params, state, x as never, opts));
      return [skip(x, y), s];
    },
  });
}
