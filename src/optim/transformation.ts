/**
 * @file Gradient transformations (as in optax): pure `{ init, update }` pairs over parameter
 * trees, whose state type is computed from the parameter tree's type.
 */
import type { AnyTensor } from "../core/ops.js";
import type { Tensor } from "../core/tensor.js";
import { map } from "../core/tree.js";
import { plus } from "../internal/leaf-math.js";

/**
 * How an optimizer's state type depends on the parameter tree `P`: a type-level function,
 * written as an interface whose `out` reads `this["P"]` (TypeScript has no higher-kinded types).
 * @category Optimizers
 */
export interface StateFn {
  /** The parameter tree the state is for (set by `ApplyState`). */
  readonly P: unknown;
  /** The state type for parameters `this["P"]`. */
  readonly out: unknown;
}

/**
 * The state type `F` gives for parameters `P`.
 * @category Optimizers
 */
export type ApplyState<F extends StateFn, P> = (F & {
  /** The parameter tree `P`. */
  readonly P: P;
})["out"];

/**
 * A pure gradient transformation: `init(params)` makes its state; `update(grads, state, params)`
 * turns gradients into updates (to be added to the parameters) and returns the next state.
 * @category Optimizers
 */
export interface GradientTransformation<F extends StateFn> {
  /** The initial state for parameters shaped like `params`. */
  init<P>(params: P): ApplyState<F, P>;
  /** The updates for gradients `grads` (a tree like the parameters) and the next state; `params` is needed by transformations that read the parameters (weight decay). */
  update<P>(grads: P, state: ApplyState<F, P>, params?: P): [P, ApplyState<F, P>];
}

/**
 * The optimizer state of transformation `O` for parameter tree `P`.
 * @example
 * const params = { w: zeros([3]) };
 * const opt = optim.adam(1e-3);
 * type S = optim.StateOf<typeof opt, typeof params>; // [AdamState<{ w: Tensor<[3]> }>, { count: Count }]
 * @category Optimizers
 */
export type StateOf<O, P> = O extends GradientTransformation<infer F> ? ApplyState<F, P> : never;

/**
 * No state.
 * @category Optimizers
 */
export interface EmptyStateFn extends StateFn {
  /** Always `EmptyState`, whatever the parameters. */
  readonly out: EmptyState;
}

/**
 * The state of a stateless transformation.
 * @category Optimizers
 */
export type EmptyState = Record<string, never>;

/**
 * A step counter (int32 scalar), kept by transformations that depend on the step number.
 * @category Optimizers
 */
export type Count = Tensor<[], "int32">;

/**
 * `params + updates`, leaf by leaf.
 * @category Optimizers
 */
export function applyUpdates<P>(params: P, updates: P): P {
  return map(params, (p, u) => plus(p as AnyTensor, u as AnyTensor), updates) as P;
}
