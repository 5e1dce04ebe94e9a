/**
 * @file `debugPrint`: prints values from inside traced code (JAX's `jax.debug.print`), through the
 * `debugPrint` primitive, so the print happens when the values exist: now when eager, each time a
 * compiled program runs under `jit`, once per call with the whole batch under `vmap`, and with the
 * forward values (not tangents or cotangents) under `grad`.
 */
import type { AnyTensor } from "../core/ops.js";
import { bind } from "../core/trace.js";
import { flatten } from "../core/tree.js";
import { Tensor } from "../core/tensor.js";
import { showValue } from "../internal/check-args.js";

export { setDebugPrintSink, type DebugPrintSink } from "../core/debug-state.js";

/**
 * Prints `label: values` of `x` (a tensor or a pytree of tensors) when the values are computed,
 * also from inside `jit`, `vmap` (the batched values, batch axis first) and `grad` (the forward
 * values). Output goes to `console.log`, or to the sink set with `setDebugPrintSink`. Never
 * removed by the compiler, though nothing uses its result.
 * @example
 * const f = jit((x: Tensor<[3]>) => { debugPrint("x", x); return mul(x, x); });
 * @category Debugging
 */
export function debugPrint(label: string, x: unknown): void {
  if (typeof label !== "string") throw new TypeError(`debugPrint: label must be a string, got ${showValue(label)}`);
  const leaves = flatten(x)[0].filter((leaf): leaf is AnyTensor => leaf instanceof Tensor);
  if (leaves.length === 0) throw new TypeError(`debugPrint(${JSON.stringify(label)}): x must be a tensor or a tree holding tensors, got ${showValue(x)}`);
  bind("debugPrint", leaves, { label });
}
