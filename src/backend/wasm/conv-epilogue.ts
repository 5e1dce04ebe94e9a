/**
 * @file A `conv2d` with the loop that finishes its result (compiler/epilogue.ts) as one kernel on
 * WebAssembly: Winograd's output transform applies the loop as it writes each output vector
 * (winograd.ts), or else the product of conv strips does as it stores each tile of C (matmul.ts).
 * Where neither runs at call time (a non-finite value, too little work for the SIMD product), the
 * direct convolution runs and then the loop: Winograd, had it applied, has just given up.
 */
import type { FusedKernel } from "../../compiler/fusion.js";
import type { ConcreteTensor } from "../../core/concrete.js";
import type { Eqn } from "../../core/jaxpr.js";
import type { PrimParams } from "../../core/primitive.js";
import type { KernelRun } from "../backend.js";
import { conv2dWithEpilogue } from "../js/conv.js";
import { patchesAreInput, type ConvGeometry } from "../js/patches.js";
import { compileWasm, wasmSupports } from "./elementwise.js";
import { wasmMatmul, type EpilogueInputs } from "./matmul.js";
import { winogradApplies, winogradConv2d } from "./winograd.js";

/**
 * `eqn` (a float32 `conv2d`) with the loop that finishes its result (its input `operand`) as one
 * kernel, or null where neither Winograd nor the product of conv strips could take the loop;
 * `direct` is the direct convolution, for the fallback.
 */
export function convEpilogue(eqn: Eqn, loop: FusedKernel, operand: number, direct: (x: ConcreteTensor, w: ConcreteTensor, g: ConvGeometry) => ConcreteTensor): KernelRun | null {
  if (eqn.prim !== "conv2d" || loop.dtype !== "float32" || !wasmSupports(loop)) return null;
  const [xa, wa] = eqn.inputs.map((x) => x.aval);
  const out = eqn.outBinders[0].aval;
  if (xa.dtype !== "float32" || wa.dtype !== "float32") return null;
  const { strides, padding } = eqn.params as PrimParams["conv2d"];
  const [n, h, w, c] = xa.shape;
  const [kh, kw, , o] = wa.shape;
  const g: ConvGeometry = { n, h, w, c, kh, kw, o, oh: out.shape[1], ow: out.shape[2], strides, padding };
  if (!winogradApplies(g) && patchesAreInput(g)) return null;
  const finish = compileWasm(loop);
  return (ins) => {
    const [x, wt, ...others] = ins;
    const epilogue: EpilogueInputs = { epilogue: { loop, operand }, inputs: others };
    const y = winogradConv2d(x, wt, g, epilogue) ?? (winogradApplies(g) ? null : conv2dWithEpilogue(x, wt, g, wasmMatmul(), epilogue));
    if (y !== null) return [y];
    const loopInputs = [...others];
    loopInputs.splice(operand, 0, direct(x, wt, g));
    return finish(loopInputs);
  };
}
