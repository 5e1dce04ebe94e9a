/**
 * @file `scan`: a loop over the leading dim of its inputs as one `scan` primitive, whose IR holds
 * the body once whatever the length. The way to write an RNN, a cumulative computation or a
 * training loop inside `jit` without unrolling it.
 */
import { bind } from "../core/trace.js";
import { TreeDef, unflatten } from "../core/tree.js";
import { ShapedArray } from "../core/aval.js";
import type { Dim } from "../shape/dim.js";
import { ShapeError, showShape } from "../shape/errors.js";
import { checkOptions, showValue } from "../internal/check-args.js";
import { avalsOf, fnName, showAvals, stage, tensorLeaves } from "./trace-fn.js";
import type { LengthOf, SliceOf, Stacked } from "./types.js";

/**
 * Options of `scan`.
 * @category Control flow
 */
export interface ScanOptions<L extends number> {
  /** The number of steps: required when `xs` is `null`, else checked against the inputs' leading dim. */
  readonly length?: L;
  /** Run the steps from the last slice of `xs` to the first (the `ys` stay in the order of `xs`). */
  readonly reverse?: boolean;
}

/**
 * The scan length a call's types say: the leading dim of `xs`, or the `length` option when there are no `xs`.
 * @category Control flow
 */
export type ScanLength<XS, L extends number> = XS extends null | undefined ? ([L] extends [never] ? number : L) : LengthOf<XS>;

/**
 * `scan(f, init, xs)` runs `[carry, y] = f(carry, x)` for each slice `x` of `xs` along its leading
 * dim, starting from `init`, and returns the final carry and the `y`s stacked along a new leading
 * dim. Like JAX's `lax.scan`:
 * ```
 * carry = init; ys = []
 * for x in xs: carry, y = f(carry, x); ys.push(y)
 * return [carry, stack(ys)]
 * ```
 * `init`, `xs` and the results are pytrees of tensors. The carry must come back with the type it
 * went in with (a compile error naming both otherwise, and a `ShapeError` at trace time for shapes
 * the types do not know). With `xs = null`, give `{ length }` and `f` gets `null`. The body is traced
 * once: the IR, and the time to trace and compile it, do not grow with the length. Under `grad` the
 * backward pass is a reverse scan over residuals the forward scan saves per step.
 * @example
 * // running sum: carry [] , x [] → ys [5]
 * const [total, partial] = scan((c: Tensor<[]>, x: Tensor<[]>) => [add(c, x), add(c, x)] as const, tensor(0), arange(5));
 * @category Control flow
 */
export function scan<C, XS, Y, const L extends number = never>(
  f: (carry: C, x: SliceOf<XS>) => readonly [NoInfer<C>, Y],
  init: C,
  xs: XS,
  options: ScanOptions<L> = {},
): [C, Stacked<Y, ScanLength<XS, L> & Dim>] {
  if (typeof f !== "function") throw new TypeError(`scan: f must be a function, got ${showValue(f)}`);
  const opts = checkOptions("scan", "options", options) as ScanOptions<number>;
  const name = fnName(f, "f");
  const op = `scan(${name})`;
  const carry = tensorLeaves(op, "init (the carry)", init);
  const scanned = tensorLeaves(op, "xs", xs);
  const length = scanLength(op, scanned.tensors.map((x) => x.shape), opts.length);
  if (opts.reverse !== undefined && typeof opts.reverse !== "boolean") {
    throw new TypeError(`${op}: reverse must be a boolean, got ${typeof opts.reverse} ${showValue(opts.reverse)}`);
  }
  const carryAvals = avalsOf(carry.tensors);
  const sliceAvals = scanned.tensors.map((x) => new ShapedArray(x.shape.slice(1), x.dtype));
  const leaves = [...carry.tensors, ...scanned.tensors];
  const input = { leaves, tensors: leaves, def: TreeDef.array([carry.def, scanned.def]) };
  const staged = stage(op, f as never, input, [...carryAvals, ...sliceAvals], (out) => {
    if (!Array.isArray(out) || out.length !== 2) {
      throw new TypeError(`${op}: f must return a pair [carry, y], got ${Array.isArray(out) ? `an array of length ${out.length}` : `${typeof out} ${showValue(out)}`}`);
    }
    const carryOutDef = tensorLeaves(op, "the carry f returns", out[0]).def;
    if (!carryOutDef.equals(carry.def)) {
      throw new TypeError(`${op}: the carry must come back with the structure it went in with: ${carry.def} in, ${carryOutDef} out`);
    }
  });
  const outAvals = staged.outAvals;
  carryAvals.forEach((a, i) => {
    if (!a.equals(outAvals[i])) {
      throw new ShapeError(`${op}: the carry must come back with the type it went in with: ${showAvals(carryAvals)} in, ${showAvals(outAvals.slice(0, carryAvals.length))} out (leaf ${i}: ${a} vs ${outAvals[i]})`);
    }
  });
  const { closed } = staged;
  const outs = bind("scan", [...closed.consts, ...carry.tensors, ...scanned.tensors] as never, {
    jaxpr: closed.jaxpr,
    numConsts: closed.consts.length,
    numCarry: carry.tensors.length,
    length,
    reverse: opts.reverse ?? false,
    name,
  });
  const [carryOut, ys] = unflatten<[unknown, unknown]>(staged.outDef, outs);
  return [carryOut, ys] as never;
}

/** The common leading dim of the scanned inputs, checked against `length` when both are given. */
function scanLength(op: string, shapes: readonly (readonly number[])[], length: number | undefined): number {
  if (length !== undefined && !(Number.isSafeInteger(length) && length >= 0)) {
    throw new RangeError(`${op}: length must be a non-negative integer, got ${showValue(length)}`);
  }
  if (shapes.length === 0) {
    if (length === undefined) throw new TypeError(`${op}: with no xs, give the number of steps as { length }`);
    return length;
  }
  shapes.forEach((s, i) => {
    if (s.length === 0) throw new ShapeError(`${op}: xs leaf ${i} is a scalar; every xs leaf needs a leading dim to scan over`);
  });
  const n = shapes[0][0];
  shapes.forEach((s, i) => {
    if (s[0] !== n) throw new ShapeError(`${op}: xs leaves have different leading dims: leaf 0 has shape ${showShape(shapes[0])}, leaf ${i} has ${showShape(s)}`);
  });
  if (length !== undefined && length !== n) throw new ShapeError(`${op}: length ${length} differs from the leading dim ${n} of xs`);
  return n;
}
