/**
 * @file `whileLoop` and `foriLoop`. A while loop is one `whileLoop` primitive: forward mode and
 * `vmap` go through it, reverse mode does not (its step count is unknown until it runs). A fori loop
 * with static bounds is a `scan` without inputs, so every transform goes through it; with traced
 * bounds it is a while loop.
 */
import { bind } from "../core/trace.js";
import { TreeDef, unflatten } from "../core/tree.js";
import * as core from "../core/ops.js";
import type { AnyTensor } from "../core/ops.js";
import { Tensor } from "../core/tensor.js";
import { DTypeError } from "../core/errors.js";
import { ShapeError } from "../shape/errors.js";
import { showValue } from "../internal/check-args.js";
import { avalsOf, fnName, showAvals, stage, tensorLeaves } from "./trace-fn.js";
import { scan } from "./scan.js";

type T = AnyTensor;

/**
 * `whileLoop(condFn, bodyFn, init)` is `carry = init; while (condFn(carry)) carry = bodyFn(carry);`
 * as one traced operation, as JAX's `lax.while_loop`. `condFn` returns a bool scalar tensor;
 * `bodyFn` returns a carry of the type it got (a compile error otherwise). Works under `jit`,
 * `vmap` (with a batched condition the loop runs until every example is done, each keeping its
 * carry once its own condition is false) and forward-mode `jvp`; `grad` through it is an error,
 * as in JAX: use `scan` or `foriLoop` with static bounds.
 * @example
 * // halve 100 until it is at most 1, counting the steps: [0.78125, 7]
 * const [x, steps] = whileLoop(
 *   ([x]) => greater(x, 1),
 *   ([x, k]) => [div(x, 2), add(k, 1)] as const,
 *   [tensor(100), tensor(0, "int32")] as const,
 * );
 * @category Control flow
 */
export function whileLoop<C>(condFn: (carry: C) => Tensor<[], "bool">, bodyFn: (carry: C) => NoInfer<C>, init: C): C {
  if (typeof condFn !== "function" || typeof bodyFn !== "function") {
    throw new TypeError(`whileLoop: condFn and bodyFn must be functions, got ${typeof condFn} and ${typeof bodyFn}`);
  }
  const name = fnName(bodyFn, "body");
  const op = `whileLoop(${name})`;
  const carry = tensorLeaves(op, "init (the carry)", init);
  const avals = avalsOf(carry.tensors);
  const input = { leaves: carry.tensors, tensors: carry.tensors, def: TreeDef.array([carry.def]) };
  const condStaged = stage(op, condFn as never, input, avals);
  const pred = condStaged.outAvals;
  if (pred.length !== 1 || pred[0].dtype !== "bool" || pred[0].ndim !== 0) {
    throw new DTypeError(`${op}: condFn must return a bool scalar tensor, got ${showAvals(pred)}`);
  }
  const bodyStaged = stage(op, bodyFn as never, input, avals);
  if (!bodyStaged.outDef.equals(carry.def)) {
    throw new TypeError(`${op}: bodyFn must return the carry with the structure it got: ${carry.def} in, ${bodyStaged.outDef} out`);
  }
  avals.forEach((a, i) => {
    if (!a.equals(bodyStaged.outAvals[i])) {
      throw new ShapeError(`${op}: bodyFn must return the carry with the type it got: ${showAvals(avals)} in, ${showAvals(bodyStaged.outAvals)} out (leaf ${i})`);
    }
  });
  const c = condStaged.closed;
  const b = bodyStaged.closed;
  const outs = bind("whileLoop", [...c.consts, ...b.consts, ...carry.tensors] as T[], {
    cond: c.jaxpr,
    body: b.jaxpr,
    condConsts: c.consts.length,
    bodyConsts: b.consts.length,
    name,
  });
  return unflatten<C>(carry.def, outs);
}

/**
 * `foriLoop(lower, upper, body, init)` is `carry = init; for (i = lower; i < upper; i++) carry =
 * body(i, carry);` with `i` an int32 scalar tensor, as JAX's `lax.fori_loop`. With number bounds
 * it is a `scan` of `upper − lower` steps, so `grad` goes through it too; with tensor bounds it is a
 * `whileLoop` (forward mode and `vmap` only).
 * @example
 * declare const x: Tensor<[]>;
 * const power = foriLoop(0, 10, (_i, acc: Tensor<[]>) => mul(acc, x), tensor(1)); // x¹⁰
 * @category Control flow
 */
export function foriLoop<C>(
  lower: number | Tensor<[], "int32">,
  upper: number | Tensor<[], "int32">,
  body: (i: Tensor<[], "int32">, carry: C) => NoInfer<C>,
  init: C,
): C {
  if (typeof body !== "function") throw new TypeError(`foriLoop: body must be a function, got ${showValue(body)}`);
  for (const [what, b] of [["lower", lower], ["upper", upper]] as const) {
    if (typeof b === "number" ? !Number.isSafeInteger(b) : !(b instanceof Tensor && b.ndim === 0 && b.dtype === "int32")) {
      throw new TypeError(`foriLoop: ${what} must be an integer or an int32 scalar tensor, got ${showValue(b)}`);
    }
  }
  const one = core.full([], 1, "int32");
  if (typeof lower === "number" && typeof upper === "number") {
    const length = Math.max(upper - lower, 0);
    const step = (state: [T, C]): readonly [[T, C], null] => {
      const [i, carry] = state;
      return [[core.add(i, one), body(i as never, carry)], null];
    };
    Object.defineProperty(step, "name", { value: fnName(body, "body") });
    const [[, carry]] = scan(step as never, [core.full([], lower, "int32"), init] as never, null, { length }) as unknown as [[T, C]];
    return carry;
  }
  const lo = typeof lower === "number" ? core.full([], lower, "int32") : (lower as unknown as T);
  const hi = typeof upper === "number" ? core.full([], upper, "int32") : (upper as unknown as T);
  const loopCond = ([i, hiT]: [T, T, C]) => core.compare(i, hiT, "lt") as never;
  const loopBody = ([i, hiT, carry]: [T, T, C]): [T, T, C] => [core.add(i, one), hiT, body(i as never, carry)];
  Object.defineProperty(loopBody, "name", { value: fnName(body, "body") });
  const [, , carry] = whileLoop(loopCond, loopBody, [lo, hi, init] as [T, T, C]);
  return carry;
}
