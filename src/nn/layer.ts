/**
 * @file The `Layer` type: a model piece as an `{ init, apply }` value whose shape behaviour is a
 * type-level function over the per-example input, so stacks are checked by `tsc` and the batch dim
 * stays polymorphic. Also `makeLayer`, the one constructor every layer and combinator goes through.
 */
import * as core from "../core/ops.js";
import type { AnyTensor } from "../core/ops.js";
import { Tensor } from "../core/tensor.js";
import { map } from "../core/tree.js";
import { isFloat, type DType, type FloatDType } from "../dtype.js";
import { layerDType } from "./shape-check.js";
import type { Key } from "../random/key.js";
import type { Dim, IsTuple } from "../shape/dim.js";
import type { Batched } from "../transforms/vmap.js";

declare const LAYER_FN: unique symbol;

/**
 * A layer's shape behaviour as a type-level function (defunctionalised: TypeScript has no
 * higher-kinded types). `in` is the per-example input (a `Tensor` type, or a tuple of them) and
 * `out`, which reads `this["in"]`, is the per-example output or an error message string.
 * Implementations extend this interface; `CallLayerFn` applies one.
 * @example
 * interface Square extends nn.LayerFn { readonly out: this["in"] } // keeps shape and dtype
 * @category Layers
 */
export interface LayerFn {
  /** The per-example input the function is applied to (set by `CallLayerFn`). */
  readonly in: unknown;
  /**
   * The parameters `apply` was given (set by `CallLayerFn`; `unknown` where they are not known, as
   * when `serial` checks a stack at construction). A layer whose output dtype comes from its
   * parameters rather than its input (`embedding`) reads the dtype from here, so the output follows
   * the dtype the parameters were made in, whichever `init` made them.
   */
  readonly params: unknown;
  /** The per-example output for `this["in"]`, or an error message string. */
  readonly out: unknown;
}

/**
 * The shape function of a layer whose shapes are not described: it takes anything and returns a
 * tensor of unknown rank and dtype (the default of `makeLayer`; downstream checks then pass).
 * @category Layers
 */
export interface UntypedFn extends LayerFn {
  /** A tensor of unknown rank and dtype, whatever the input. */
  readonly out: Tensor<Dim[], DType>;
}

/**
 * The per-example output (or error text) of layer function `F` on per-example input `X`.
 * NB: `F` is narrowed by a conditional rather than by intersecting it with `LayerFn`, which made
 * tsc report TS2589 (excessive depth) when resolving `this["in"]`.
 * @category Layers
 */
export type CallLayerFn<F, X, P = unknown> = F extends LayerFn
  ? (F & {
      /** The input `X`. */
      readonly in: X;
      /** The parameters `P`. */
      readonly params: P;
    })["out"]
  : never;

/**
 * A parameter (or state) tree `P` with every tensor's dtype set to `D`: the type of
 * `layer.init(key, { dtype: D })`. `WithDType<{ w: Tensor<[4, 8]> }, "float64">` is
 * `{ w: Tensor<[4, 8], "float64"> }`.
 * @category Layers
 */
export type WithDType<P, D extends FloatDType> =
  P extends Tensor<infer S, DType>
    ? Tensor<S, D>
    : P extends readonly unknown[]
      ? { -readonly [K in keyof P]: WithDType<P[K], D> }
      : P extends object
        ? { [K in keyof P]: WithDType<P[K], D> }
        : P;

/**
 * Parameters as `apply` takes them: the tree `P` in any float dtype (all leaves must share the input's dtype at run time).
 * @category Layers
 */
export type ParamsLike<P> = WithDType<P, FloatDType>;

/**
 * Options of `init` and `initState`: the float dtype every parameter (and state) tensor is made in.
 * @category Layers
 */
export interface InitOptions<D extends FloatDType> {
  /** The dtype of every parameter and state tensor. */
  readonly dtype: D;
}

/**
 * Per-call options: `key` feeds randomness (dropout); `training` switches dropout and batchNorm (default false).
 * @category Layers
 */
export interface ApplyOptions {
  /** The randomness of this call (dropout needs it when training); `serial` splits it per layer. */
  readonly key?: Key;
  /** Training mode: dropout drops and batchNorm uses batch statistics (default false). */
  readonly training?: boolean;
}

/**
 * A batched input: one tensor, or a tuple of tensors, each with a leading batch dim.
 * @category Layers
 */
export type LayerInput = AnyTensor | readonly AnyTensor[];

/**
 * `[batch dim, per-example value]` of a batched input, or an error message. A tensor of unknown
 * rank is accepted, with batch `number` and per-example shape of unknown rank.
 * @category Layers
 */
export type SplitBatch<X> =
  X extends Tensor<infer S, infer D>
    ? S extends readonly [infer B extends Dim, ...infer R extends Dim[]]
      ? [B, Tensor<R, D>]
      : IsTuple<S> extends false
        ? [number, Tensor<Dim[], D>]
        : "apply: the input needs a leading batch dim, but it is a scalar"
    : X extends readonly [infer H, ...unknown[]]
      ? SplitBatch<H> extends [infer B extends Dim, unknown]
        ? [B, { -readonly [K in keyof X]: SplitBatch<X[K]> extends [unknown, infer E] ? E : never }]
        : SplitBatch<H>
      : "apply: the input must be a tensor or a tuple of tensors";

/**
 * The dtypes of the tensors in a parameter tree, as a union (`never` for a tree without tensors,
 * any float dtype for `any`).
 * @category Layers
 */
export type ParamsDType<P> = 0 extends 1 & P
  ? FloatDType
  : P extends Tensor<infer _S, infer D>
    ? D
    : P extends readonly unknown[]
      ? ParamsDType<P[number]>
      : P extends object
        ? ParamsDType<P[keyof P]>
        : never;

/**
 * The message for float parameters of one dtype applied to a float input of another (the run time
 * raises a `DTypeError` there); `never` when they agree or when either is not known exactly.
 */
type ParamsInputDType<Q, X> =
  X extends Tensor<infer _S, infer DI>
    ? [DI] extends [FloatDType]
      ? ParamsDType<Q> extends infer DP
        ? [DP] extends [never]
          ? never
          : [DP] extends [DI]
            ? never
            : [DI] extends [DP]
              ? never
              : `apply: the parameters are ${DP & string} but the input is ${DI & string} (they must share a dtype)`
        : never
      : never
    : never;

/**
 * The argument type `apply` accepts for `X` with parameters `Q`: `X` itself, or the error message
 * when the layer rejects it (or when float parameters and a float input differ in dtype). The batch
 * dim is matched with `infer`, never against `Dim`: when it is a type parameter (`B` of a generic
 * caller), a comparison with `Dim` would defer the whole check.
 * @category Layers
 */
export type CheckInput<F, X, Q = unknown> =
  SplitBatch<X> extends [infer _B, infer E]
    ? LayerResult<F, E, Q> extends infer O extends string
      ? O
      : ParamsInputDType<Q, X> extends infer M extends string
        ? [M] extends [never]
          ? X
          : M
        : X
    : SplitBatch<X>;

/**
 * `CallLayerFn<F, E, Q>`, guarded as the shape relations are (src/shape/README.md): a check the
 * compiler cannot decide for a type-parameter dim prints as `LayerResult<DenseFn<8, 4>, Tensor<[T, 8]>>`.
 * @category Layers
 */
export type LayerResult<F, E, Q = unknown> = CallLayerFn<F, E, Q> extends infer R ? R : never;

/**
 * What `apply` returns for input `X` and parameters `Q`: the per-example output with the batch dim
 * in front (`any` after an error).
 * @category Layers
 */
export type Output<F, X, Q = unknown> =
  SplitBatch<X> extends [infer B extends Dim, infer E]
    ? LayerResult<F, E, Q> extends infer O
      ? O extends string
        ? any
        : Batched<O, B>
      : never
    : any;

/**
 * A layer: `init(key)` makes its trainable parameters `P` (a tree with named fields; `{}` when it
 * has none), `apply(params, x, opts?)` is pure. Types describe one example; the leading batch dim
 * of `x` passes through: for `dense(784, 10)`, `Tensor<[B, 784]>` becomes `Tensor<[B, 10]>` for a
 * literal, `number` or symbolic (`"batch"`) `B`. A rejected input is a compile error on `x` naming
 * the expected and actual shapes.
 *
 * Layers with non-trainable state (batchNorm's running statistics) keep it in `St`: `initState()`
 * makes it and `applyStateful(params, state, x, opts)` returns `[y, newState]`. Every layer has
 * both (`St` is `{}` for stateless ones), so combinators thread state uniformly.
 *
 * The output dtype follows the input's (an embedding's follows its parameters'). Parameters are
 * float32 unless the layer was made with a `dtype` option (`dense(4, 8, { dtype: "float64" })`) or
 * `init` is given one (`model.init(key, { dtype: "float64" })`, for a whole model); a float input
 * must share their dtype (a compile error when both are known, a `DTypeError` at run time).
 * @example
 * const model = nn.serial(nn.dense(784, 128), nn.relu, nn.dense(128, 10));
 * const params = model.init(random.key(0));
 * declare const x: Tensor<["batch", 784]>;
 * const y = model.apply(params, x); // Tensor<["batch", 10]>
 * @category Layers
 */
export interface Layer<out F extends LayerFn = LayerFn, out P = unknown, out St = {}> {
  // `out` is declared, not left to tsc to measure (a walk of init/apply through WithDType and
  // CheckInput that cost each user program about 0.3 s); parameters are method parameters, so bivariant.
  /** Phantom: the shape function (type-level only; absent at run time). */
  readonly [LAYER_FN]: F;
  /** How error messages name the layer, e.g. `dense(784, 128)`. */
  readonly name: string;
  /** Fresh parameters drawn from `key`, every tensor in `options.dtype`. */
  init<D extends FloatDType>(key: Key, options: InitOptions<D>): WithDType<P, D>;
  /** Fresh parameters drawn from `key`, in the layer's own dtype (float32 unless made with another). */
  init(key: Key): P;
  /** Fresh non-trainable state in `options.dtype` (`{}` for stateless layers). */
  initState<D extends FloatDType>(options: InitOptions<D>): WithDType<St, D>;
  /** Fresh non-trainable state (`{}` for stateless layers). */
  initState(): St;
  /** The layer applied to a batch. Stateful layers need `applyStateful` when `training` is false. */
  // `params` is inferred as `Q` so the output can follow the parameters actually given (their
  // dtype); `| ParamsLike<P>` keeps an argument typed only by its context (a generic call)
  // inferring as before instead of as `unknown`.
  apply<X extends LayerInput, Q extends ParamsLike<P> = ParamsLike<P>>(params: Q | ParamsLike<P>, x: CheckInput<F, X, Q>, opts?: ApplyOptions): Output<F, X, Q>;
  /** The layer applied to a batch with explicit state: `[y, newState]`. */
  applyStateful<X extends LayerInput, S extends ParamsLike<St>, Q extends ParamsLike<P> = ParamsLike<P>>(
    params: Q | ParamsLike<P>,
    state: S,
    x: CheckInput<F, X, Q>,
    opts?: ApplyOptions,
  ): [Output<F, X, Q>, S];
}

/**
 * Any layer (the constraint combinators take).
 * @category Layers
 */
export type AnyLayer = Layer<any, any, any>;

/**
 * The shape function of a layer type.
 * @category Layers
 */
export type FnOf<L> = L extends {
  /** Phantom: the shape function. */
  readonly [LAYER_FN]: infer F;
}
  ? F
  : never;

/**
 * The parameter tree type of a layer.
 * @category Layers
 */
export type ParamsOf<L> = L extends {
  /** Fresh parameters drawn from `key`. */
  init(key: Key): infer P;
}
  ? P
  : never;

/**
 * The state type of a layer (`{}` for stateless ones).
 * @category Layers
 */
export type StateOf<L> = L extends {
  /** Fresh non-trainable state. */
  initState(): infer S;
}
  ? S
  : never;

/**
 * A runtime value flowing between layers: a tensor or a tuple of them.
 * @category Layers
 */
export type Value = AnyTensor | readonly Value[];

/**
 * The runtime definition of a layer; see `makeLayer`.
 * @category Layers
 */
export interface LayerDef<P, St> {
  /** How error messages name the layer, e.g. `dense(784, 128)`. */
  readonly name: string;
  /** Fresh parameters drawn from `key`; `dtype` is the one `init` was asked for (`undefined`: the layer's own). */
  readonly init: (key: Key, dtype: FloatDType | undefined) => P;
  /** Stateless application; if absent, `applyStateful` with `initState()` is used. */
  readonly apply?: (params: P, x: Value, opts: ApplyOptions) => Value;
  /** Fresh non-trainable state (default `{}`), in `dtype` as for `init`. */
  readonly initState?: (dtype: FloatDType | undefined) => St;
  /** Stateful application; if absent, `apply` with the state passed through is used. */
  readonly applyStateful?: (params: P, state: St, x: Value, opts: ApplyOptions) => [Value, St];
}

/**
 * A layer from its runtime definition. `F` (its shape function) exists only for the type checker,
 * so the runtime checks in `apply` must say the same thing the type errors say.
 * Without `F`, the layer is untyped (`UntypedFn`): it accepts anything and its output has unknown
 * shape.
 * @example
 * // x ↦ 2x: keeps the shape (its LayerFn returns its input type), has no params.
 * interface DoubleFn extends nn.LayerFn { readonly out: this["in"] }
 * const double = nn.makeLayer<DoubleFn>({
 *   name: "double",
 *   init: () => ({}),
 *   apply: (_params, x) => add(x as Tensor, x as Tensor),
 * });
 * @category Layers
 */
export function makeLayer<F extends LayerFn = UntypedFn, P = {}, St = {}>(def: LayerDef<P, St>): Layer<F, P, St> {
  const initState = def.initState ?? (() => ({}) as St);
  const stateless = def.apply;
  const stateful = def.applyStateful;
  if (stateless === undefined && stateful === undefined) {
    throw new TypeError(`makeLayer(${def.name}): give apply or applyStateful`);
  }
  const apply = stateless ?? ((p: P, x: Value, o: ApplyOptions) => stateful!(p, initState(undefined), x, o)[0]);
  const applyStateful = stateful ?? ((p: P, s: St, x: Value, o: ApplyOptions): [Value, St] => [apply(p, x, o), s]);
  const layer = {
    name: def.name,
    init: (key: Key, options?: InitOptions<FloatDType>) => {
      const dtype = initDType(def.name, "init", options);
      return inDType(def.init(key, dtype), dtype);
    },
    initState: (options?: InitOptions<FloatDType>) => {
      const dtype = initDType(def.name, "initState", options);
      return inDType(initState(dtype), dtype);
    },
    apply: (params: P, x: unknown, opts: ApplyOptions = {}) => apply(params, x as Value, opts),
    applyStateful: (params: P, state: St, x: unknown, opts: ApplyOptions = {}) => applyStateful(params, state, x as Value, opts),
  };
  return layer as unknown as Layer<F, P, St>;
}

/** The dtype asked of `init`/`initState`, checked (untyped callers could pass anything). */
function initDType(name: string, method: string, options: InitOptions<FloatDType> | undefined): FloatDType | undefined {
  return options === undefined ? undefined : layerDType(`${name}.${method}`, options.dtype);
}

/**
 * Every float tensor of `tree` in `dtype` (a no-op for leaves already in it). A layer's own `init`
 * makes its tensors in the dtype asked for; this guarantees the type `WithDType<P, D>` also for
 * layers (or initializers) written without a dtype in mind.
 */
function inDType<T>(tree: T, dtype: FloatDType | undefined): T {
  if (dtype === undefined) return tree;
  return map(tree, (leaf) => (leaf instanceof Tensor && isFloat(leaf.dtype) && leaf.dtype !== dtype ? core.cast(leaf as AnyTensor, dtype) : leaf)) as T;
}
