/**
 * @file The `selectAndScatterAdd` primitive: the reverse-mode derivative of a maximum over windows
 * as one kernel. From `source` (one value per window) and `operand` (what `reduceWindow` with
 * `op: "Max"` reduced) it gives an `operand`-shaped result: each window's value divided evenly
 * among the window's maxima and added there (where windows overlap, their shares add up).
 * NB: JAX's select-and-scatter gives a window's whole value to one maximum; splitting ties evenly
 * matches what `reduceMax` and `max` do on ties, keeping the maximum of equal values symmetric.
 * Linear in `source`; in `operand` piecewise constant (it only chooses), so its derivative there is
 * zero. Its transpose is `selectAndGatherAdd`, and that one's is this.
 */
import { ShapedArray } from "../core/aval.js";
import { DTypeError } from "../core/errors.js";
import { TraceError } from "../core/tensor.js";
import { isFloat } from "../dtype.js";
import { currentBackend } from "../backend/backend.js";
import { UndefPrimal, type PrimitiveDef, type PrimParams, type SimplifyContext } from "../core/primitive.js";
import { Lit, Var, type Atom, type Eqn } from "../core/jaxpr.js";
import { ConcreteTensor } from "../core/concrete.js";
import { ShapedArray as Aval } from "../core/aval.js";
import { fillEqn } from "./broadcast-in-dim.js";
import { ShapeError, showShape } from "../shape/errors.js";
import { batchFirst } from "../transforms/batching.js";
import { batchedWindow, selectAndGatherAddOf, selectAndScatterAddOf, windowShape } from "./_window.js";

export const selectAndScatterAdd: PrimitiveDef<"selectAndScatterAdd"> = {
  name: "selectAndScatterAdd",

  // ---- shape ----
  // source [windows of operand], operand [shape] → [shape].
  shape: ([source, operand], params) => {
    if (source.dtype !== operand.dtype) throw new DTypeError(`selectAndScatterAdd: dtypes differ: ${source.dtype} vs ${operand.dtype}`);
    if (!isFloat(source.dtype)) throw new DTypeError(`selectAndScatterAdd: expected float operands, got ${source.dtype}`);
    const windows = windowShape("selectAndScatterAdd", operand.shape, params);
    if (source.ndim !== windows.length || source.shape.some((d, i) => d !== windows[i])) {
      throw new ShapeError(`selectAndScatterAdd: source ${showShape(source.shape)} is not one value per window ${showShape(windows)} of operand ${showShape(operand.shape)}`);
    }
    return [new ShapedArray(operand.shape, source.dtype)];
  },

  // ---- kernel ----
  impl: ([source, operand], params) => [currentBackend().selectAndScatterAdd(source, operand, params)],

  // ---- jvp ----
  // Linear in source; the operand only selects (zero derivative away from ties).
  jvp: ([source, operand], [sourceDot], params) => [
    [selectAndScatterAddOf(source, operand, params)],
    [selectAndScatterAddOf(sourceDot, operand, params)],
  ],

  // ---- transpose ----
  // ⟨ct, scatter(s)⟩ = Σ_windows s · mean of ct over the window's maxima = ⟨gather(ct), s⟩.
  transpose: ([ct], [source, operand], params) => {
    if (!(source instanceof UndefPrimal) || operand instanceof UndefPrimal) {
      throw new TraceError("selectAndScatterAdd: transpose needs a linear source and a known operand");
    }
    return [selectAndGatherAddOf(ct, operand, params), null];
  },

  // ---- vmap ----
  // Both operands batch first; the batch dim gets a window of one element.
  vmap: ([source, operand], [sourceDim, operandDim], params, axisSize) => [
    [selectAndScatterAddOf(batchFirst(source, sourceDim, axisSize), batchFirst(operand, operandDim, axisSize), batchedWindow(params))],
    [0],
  ],
};

// ---- simplify (a rule of `select`) ----

/**
 * ReLU's derivative moved before max pooling's: `select(x > 0, selectAndScatterAdd(s, relu(x)), 0)`,
 * where `relu(x) = select(x > 0, x, c)` for a constant c ≤ 0 and the program also pools `relu(x)`
 * by `reduceWindow` Max over the same windows (as the forward pass of conv → ReLU → max pool does),
 * becomes `selectAndScatterAdd(select(pooled > 0, s, 0), relu(x))`: the mask is applied to one
 * value per window instead of to every element, and the full-size pass that applied it is gone
 * (with it the mask the forward pass stored for it).
 *
 * It is exact, bit for bit. An element i receives shares only from windows whose maximum it is;
 * for each of them pooled = relu(x)[i], and relu(x)[i] > 0 exactly when x[i] > 0 (relu(x) has no
 * NaN: a NaN x fails the test and gives c). So every window that sends i a share is masked as i
 * is: both forms add the same shares where x[i] > 0, and give +0 elsewhere.
 */
export function maskBeforeScatter(eqn: Eqn<"select">, context: SimplifyContext): readonly Eqn[] | null {
  const [mask, scattered, zero] = eqn.inputs;
  if (!Object.is(context.constant(zero), 0)) return null;
  const scatter = context.producerOf(scattered);
  if (scatter?.prim !== "selectAndScatterAdd" || context.uses(scattered) !== 1) return null;
  const [source, activation] = scatter.inputs;
  if (!isReluOf(mask, activation, context)) return null;
  const geometry = scatter.params as PrimParams["selectAndScatterAdd"];
  const pool = context.readersOf(activation).find((r) => r.prim === "reduceWindow" && r.inputs[0] === activation && sameWindows(r.params as PrimParams["reduceWindow"], geometry));
  if (pool === undefined || (pool.params as PrimParams["reduceWindow"]).op !== "Max") return null;
  const pooled = pool.outBinders[0];
  const zeros = new Var(pooled.aval);
  const positive = new Var(new Aval(pooled.aval.shape, "bool"));
  const masked = new Var(source.aval);
  const dtype = pooled.aval.dtype;
  return [
    fillEqn(new Lit(ConcreteTensor.fromValues([0], [], dtype)), [zeros]),
    { prim: "compare", inputs: [pooled, zeros], params: { op: "gt" }, outBinders: [positive] } as Eqn,
    { prim: "select", inputs: [positive, source, zeros], params: {}, outBinders: [masked] } as Eqn,
    { ...scatter, inputs: [masked, activation], outBinders: eqn.outBinders },
  ];
}

/**
 * A sum of pooling's derivative over the windowed axes is the sum of what was scattered:
 * `reduceSum(selectAndScatterAdd(s, x), axes)` becomes `reduceSum(s, axes)` where every axis that
 * is not summed has windows of one element, one apart, without padding (window i of it is element
 * i), and no window lies in padding only. The bias gradient of conv → ReLU → max pool then sums
 * the pooled cotangent (a quarter of the elements for 2×2 pools) instead of the full-size one, in
 * the loop that masks it, and the scatter is read only by the convolution's gradients.
 *
 * Every window that holds an element sends its whole value to its maxima (a NaN maximum included:
 * a window's maximum is always one of its elements), split evenly among ties, and shares stay in
 * the window, so each window's value lands, whole, in the one sum its unsummed coordinates pick.
 * The two sums are equal in exact arithmetic; in floats the rewritten one rounds fewer terms (no
 * shares split among ties, no zeros of elements that are nobody's maximum), so results may differ
 * from eager evaluation in the last bits, as any other order of a sum would.
 */
export function sumOfScatter(eqn: Eqn<"reduceSum">, context: SimplifyContext): Eqn | null {
  const scatter = context.producerOf(eqn.inputs[0]);
  if (scatter?.prim !== "selectAndScatterAdd") return null;
  const [source, operand] = scatter.inputs;
  const { window, strides, padding } = scatter.params as PrimParams["selectAndScatterAdd"];
  const { axes } = eqn.params;
  const shape = operand.aval.shape;
  const windows = source.aval.shape;
  for (let i = 0; i < shape.length; i++) {
    if (!axes.includes(i)) {
      if (window[i] !== 1 || strides[i] !== 1 || padding[i][0] !== 0 || padding[i][1] !== 0) return null;
      continue;
    }
    if (windows[i] === 0) continue; // no windows at all: both sums are 0
    // windows start and end further on one after the other: the first must end inside the
    // operand and the last start inside it
    const lastStart = (windows[i] - 1) * strides[i] - padding[i][0];
    if (window[i] - 1 - padding[i][0] < 0 || lastStart > shape[i] - 1) return null;
  }
  return { ...eqn, inputs: [source] };
}

/** Whether `activation` is `select(mask, x, c)` with `mask` = `x > 0` and a constant c ≤ 0. */
function isReluOf(mask: Atom, activation: Atom, context: SimplifyContext): boolean {
  const relu = context.producerOf(activation);
  const test = context.producerOf(mask);
  if (relu?.prim !== "select" || test?.prim !== "compare" || relu.inputs[0] !== mask) return false;
  if ((test.params as PrimParams["compare"]).op !== "gt" || test.inputs[0] !== relu.inputs[1]) return false;
  const bound = context.constant(test.inputs[1]);
  const c = context.constant(relu.inputs[2]);
  return bound === 0 && c !== undefined && c <= 0;
}

function sameWindows(a: PrimParams["selectAndScatterAdd"], b: PrimParams["selectAndScatterAdd"]): boolean {
  const same = (x: readonly number[], y: readonly number[]) => x.length === y.length && x.every((v, i) => v === y[i]);
  return same(a.window, b.window) && same(a.strides, b.strides) && same(a.padding.flat(), b.padding.flat());
}
