/**
 * @file Dropout: while training, zeroes each element with probability `rate` and scales the rest
 * by `1 / (1 − rate)` (inverted dropout), so the expectation is unchanged; otherwise the identity.
 */
import * as core from "../core/ops.js";
import type { AnyTensor } from "../core/ops.js";
import { bernoulli } from "../random/sample.js";
import type { KeepFn } from "./activations.js";
import type { Layer } from "./layer.js";
import { makeLayer } from "./layer.js";
import { oneTensor } from "./shape-check.js";

/**
 * Dropout with drop probability `rate` (0 ≤ rate < 1). With `{ training: true }` it needs
 * `opts.key` (inside `serial`, the key passed to the stack is split once per layer); with
 * `training` false or absent it returns its input unchanged.
 * @example
 * const y = nn.dropout(0.5).apply({}, ones([32, 128]), { training: true, key: random.key(1) }); // Tensor<[32, 128]>
 * @category Layers
 */
export function dropout(rate: number): Layer<KeepFn<"dropout">, {}> {
  const name = `dropout(${rate})`;
  if (!(rate >= 0 && rate < 1)) throw new RangeError(`${name}: rate must be in [0, 1)`);
  return makeLayer<KeepFn<"dropout">, {}>({
    name,
    init: () => ({}),
    apply: (_p, x, opts) => {
      const t = oneTensor(name, x);
      if (!opts.training || rate === 0) return t;
      if (opts.key === undefined) {
        throw new TypeError(`${name}: training needs a random key: apply(params, x, { training: true, key })`);
      }
      const keep = bernoulli(opts.key, 1 - rate, t.shape) as unknown as AnyTensor;
      return core.select(keep, core.mul(t, core.fullLike(t, 1 / (1 - rate))), core.fullLike(t, 0));
    },
  });
}
