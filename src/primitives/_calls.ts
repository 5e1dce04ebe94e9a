/**
 * @file Rule helpers shared by the call-like primitives that hold jaxprs (`checkpoint`, the custom
 * derivative calls): checking operands against a traced signature, and batching a jaxpr.
 */
import type { ShapedArray } from "../core/aval.js";
import { makeJaxprFlat } from "../core/make-jaxpr.js";
import { evalJaxpr, type ClosedJaxpr, type Jaxpr } from "../core/jaxpr.js";
import type { AnyTensor } from "../core/ops.js";
import type { BatchDim } from "../core/primitive.js";
import { avalOf } from "../core/trace.js";
import { ShapeError } from "../shape/errors.js";
import { batchFirst } from "../transforms/batching.js";
import { vmapFlat } from "../transforms/vmap.js";

type T = AnyTensor;

/** Throws a `ShapeError` naming `what` unless `avalsIn` are exactly `expected`. */
export function checkOperands(what: string, avalsIn: readonly ShapedArray[], expected: readonly ShapedArray[]): void {
  if (avalsIn.length !== expected.length || avalsIn.some((a, i) => !a.equals(expected[i]))) {
    throw new ShapeError(`${what}: called with (${avalsIn.join(", ")}) but traced for (${expected.join(", ")})`);
  }
}

/** `jaxpr` batched over operands whose batch dims are `dims` (one at least not null), every output along axis 0. */
export function vmapJaxpr(jaxpr: Jaxpr, args: readonly T[], dims: readonly BatchDim[]): ClosedJaxpr {
  return makeJaxprFlat(
    (...ys: T[]) => vmapFlat((...zs: T[]) => evalJaxpr(jaxpr, zs), dims, ys),
    args.map(avalOf),
  );
}

/**
 * The call's arguments (operands from `first` on) with at least one batched: when only a constant
 * is batched, argument 0 is broadcast along a new axis 0, so that every jaxpr of the call sees a
 * batched operand and all outputs come out batched.
 */
export function someArgBatched(args: readonly T[], dims: readonly BatchDim[], first: number, axisSize: number): [T[], BatchDim[]] {
  if (dims.slice(first).some((d) => d !== null) || args.length === first) return [args.slice(), dims.slice()];
  const xs = args.slice();
  const ds = dims.slice();
  xs[first] = batchFirst(xs[first], null, axisSize);
  ds[first] = 0;
  return [xs, ds];
}
