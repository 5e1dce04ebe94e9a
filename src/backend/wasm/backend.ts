/**
 * @file The WebAssembly backend: float32 fused loops as SIMD kernels (elementwise.ts), float32
 * products and convolutions on the SIMD matmul (matmul.ts), stride-1 3×3 convolutions by Winograd
 * (winograd.ts), and float windows (pooling and its
 * derivatives, window.ts), all on the worker pool; everything else (other dtypes, small products,
 * eager elementwise ops, layout and reductions outside fused loops, loops the SIMD generator does
 * not take) as the JS backend does it.
 */
import type { Backend } from "../backend.js";
import { jsBackend } from "../js/backend.js";
import { compileWasm, wasmSupports } from "./elementwise.js";
import { wasmMatmul } from "./matmul.js";
import { dotGeneralKernel } from "../js/dot.js";
import { conv2dBackpropFilterKernel, conv2dBackpropInputKernel, conv2dKernel } from "../js/conv.js";
import { kernelRuntime } from "./runtime.js";
import { winogradBackpropFilter, winogradBackpropInput, winogradConv2d } from "./winograd.js";
import { convEpilogue } from "./conv-epilogue.js";
import { wasmReduceWindow, wasmSelectAndGatherAdd, wasmSelectAndScatterAdd } from "./window.js";

/** The WebAssembly backend. */
export const wasmBackend: Backend = {
  ...jsBackend,
  name: "wasm",
  elementwise: jsBackend.elementwise,
  supports: (kernel) => wasmSupports(kernel) || jsBackend.supports(kernel),
  vectorizes: (kernel) => wasmSupports(kernel),
  compile: (kernel) => (wasmSupports(kernel) ? compileWasm(kernel) : jsBackend.compile(kernel)),
  // A SIMD loop copies its inputs into the kernel memory before it allocates its outputs.
  readsInputsFirst: (kernel) => wasmSupports(kernel),
  residentStore: () => {
    const runtime = kernelRuntime();
    if (!runtime.shared) return null;
    return {
      take: (dtype, n, owner) => runtime.residentTake(dtype, n, owner),
      give: (storage) => runtime.residentGive(storage),
      holds: (storage) => runtime.addressOf(storage) >= 0,
      releaseOwned: (owner) => runtime.heap.releaseOwned(owner),
      releaseAt: (at) => void runtime.heap.release(at),
      addressOf: (storage) => runtime.addressOf(storage),
    };
  },
  describe: (kernel) => (wasmSupports(kernel) ? "(WebAssembly SIMD, 4 lanes)" : jsBackend.describe(kernel)),
  // a convolution's bias and activation in Winograd's output transform or the product's store
  epilogue: (eqn, loop, operand) => convEpilogue(eqn, loop, operand, (x, w, g) => conv2dKernel(x, w, g, wasmMatmul())),
  dotGeneral: (x, y, dims) => dotGeneralKernel(x, y, dims, wasmMatmul()),
  conv2d: (x, w, g) => winogradConv2d(x, w, g) ?? conv2dKernel(x, w, g, wasmMatmul()),
  conv2dBackpropInput: (ct, w, g) => winogradBackpropInput(ct, w, g) ?? conv2dBackpropInputKernel(ct, w, g, wasmMatmul()),
  conv2dBackpropFilter: (x, ct, g) => winogradBackpropFilter(x, ct, g) ?? conv2dBackpropFilterKernel(x, ct, g, wasmMatmul()),
  reduceWindow: (x, op, g) => wasmReduceWindow(x, op, g) ?? jsBackend.reduceWindow(x, op, g),
  selectAndScatterAdd: (source, operand, g) => wasmSelectAndScatterAdd(source, operand, g) ?? jsBackend.selectAndScatterAdd(source, operand, g),
  selectAndGatherAdd: (tangent, operand, g) => wasmSelectAndGatherAdd(tangent, operand, g) ?? jsBackend.selectAndGatherAdd(tangent, operand, g),
};
