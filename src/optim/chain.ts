/** @file `chain`: composes gradient transformations left to right; its state is the tuple of theirs. */
import type { ApplyState, GradientTransformation, StateFn } from "./transformation.js";

/**
 * State of a chain: one state per link, in order.
 * @category Optimizers
 */
export interface ChainStateFn<Fs extends readonly StateFn[]> extends StateFn {
  /** The tuple of each link's state for the parameters, in order. */
  readonly out: { -readonly [K in keyof Fs]: ApplyState<Fs[K], this["P"]> };
}

type FnsOf<Ts> = { -readonly [K in keyof Ts]: Ts[K] extends GradientTransformation<infer F> ? F : never };

/**
 * Applies each transformation to the output of the previous one.
 * @example
 * const opt = optim.chain(optim.clipByGlobalNorm(1), optim.scaleByAdam(), optim.scaleByLearningRate(1e-3));
 * @category Optimizers
 */
export function chain<const Ts extends readonly GradientTransformation<StateFn>[]>(
  ...links: Ts
): GradientTransformation<ChainStateFn<FnsOf<Ts> extends readonly StateFn[] ? FnsOf<Ts> : never>> {
  return {
    init: (params) => links.map((t) => t.init(params)) as never,
    update: (grads, state, params) => {
      const states = state as unknown as unknown[];
      let updates = grads;
      const next = links.map((t, i) => {
        const [u, s] = t.update(updates, states[i] as never, params);
        updates = u;
        return s;
      });
      return [updates, next as never];
    },
  };
}
