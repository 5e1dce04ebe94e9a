/**
 * @file The `debugPrint` primitive: prints its operands' values when it runs (now, or each time a
 * compiled program runs). An effect with no outputs: dead-code elimination, CSE and folding leave
 * it alone, its JVP prints the primal only, and under `vmap` it prints the batched values.
 */
import type { PrimitiveDef } from "../core/primitive.js";
import { bind } from "../core/trace.js";
import type { AnyTensor } from "../core/ops.js";
import { moveAxis } from "../transforms/batching.js";
import { emitDebugPrint } from "../core/debug-state.js";

type T = AnyTensor;

export const debugPrint: PrimitiveDef<"debugPrint"> = {
  name: "debugPrint",

  effect: true,

  // ---- shape ----
  shape: () => [],

  // ---- kernel ----
  impl: (args, { label }) => {
    emitDebugPrint(label, args);
    return [];
  },

  // ---- jvp ----
  // Print the values, not their tangents (as JAX's debug.print).
  jvp: (primals, _tangents, params) => {
    bind("debugPrint", primals, params);
    return [[], []];
  },

  // ---- vmap ----
  // Print every example at once: the batched values, batch axis first.
  vmap: (args, dims, params) => {
    bind(
      "debugPrint",
      args.map((x: T, i) => (dims[i] === null ? x : moveAxis(x, dims[i]!, 0))),
      params,
    );
    return [[], []];
  },
};
