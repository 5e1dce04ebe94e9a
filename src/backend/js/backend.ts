/**
 * @file The JS backend: portable kernels over typed arrays, and fused loops generated as JS
 * source (where the platform allows code generation). Exact in float64; the reference the
 * WebAssembly backend is tested against.
 */
import type { Backend } from "../backend.js";
import { aluKernel } from "./alu-kernels.js";
import { codegenAvailable, compileJs, jsSource } from "./fuse.js";
import { dotGeneralKernel } from "./dot.js";
import { conv2dBackpropFilterKernel, conv2dBackpropInputKernel, conv2dKernel } from "./conv.js";
import { argmaxKernel, broadcastKernel, concatenateKernel, padKernel, reduceKernel, sliceKernel } from "./layout.js";
import { permute } from "./kernels.js";
import { threefryKernel } from "./threefry.js";
import { checkIndicesKernel } from "./check-indices.js";
import { reduceWindowKernel, selectAndGatherAddKernel, selectAndScatterAddKernel } from "./window.js";
import { gatherKernel, scatterKernel } from "./gather.js";
import { cumulativeKernel } from "./cumulative.js";
import { sortKernel } from "./sort.js";
import { checkNaNKernel } from "./check-nan.js";

/** The JS backend. */
export const jsBackend: Backend = {
  name: "js",
  elementwise: aluKernel,
  supports: () => codegenAvailable(),
  vectorizes: () => false,
  compile: (kernel) => compileJs(kernel),
  // The generated loops read and write element by element.
  readsInputsFirst: () => false,
  residentStore: () => null,
  describe: (kernel) => `(JS loop)\n${jsSource(kernel).split("\n").map((l) => `      ${l}`).join("\n")}`,
  dotGeneral: (x, y, dims) => dotGeneralKernel(x, y, dims, null),
  conv2d: (x, w, g) => conv2dKernel(x, w, g, null),
  conv2dBackpropInput: (ct, w, g) => conv2dBackpropInputKernel(ct, w, g, null),
  conv2dBackpropFilter: (x, ct, g) => conv2dBackpropFilterKernel(x, ct, g, null),
  reduce: reduceKernel,
  argmax: argmaxKernel,
  broadcast: broadcastKernel,
  transpose: permute,
  slice: sliceKernel,
  pad: padKernel,
  concatenate: concatenateKernel,
  threefry2x32: threefryKernel,
  checkIndices: checkIndicesKernel,
  reduceWindow: reduceWindowKernel,
  selectAndScatterAdd: selectAndScatterAddKernel,
  selectAndGatherAdd: selectAndGatherAddKernel,
  gather: gatherKernel,
  scatter: scatterKernel,
  cumulative: cumulativeKernel,
  sort: sortKernel,
  checkNaN: checkNaNKernel,
};
