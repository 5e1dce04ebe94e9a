/**
 * @file The public surface of typegrad: every export by name, plus the `tree` namespace. The two
 * registrations happen here, once, before any user code runs: the primitives' rule table, and
 * the tensor methods (`x.add(y)`, …).
 */
import { registerPrimitives } from "./core/registry.js";
import { installMethods } from "./ops/methods.js";

registerPrimitives();
installMethods();

export { Tensor, TraceError } from "./core/tensor.js";
export type { ConcreteLike } from "./core/tensor.js";
export { DonatedError, DTypeError } from "./core/errors.js";
export type { DType, FloatDType } from "./dtype.js";
export type { Dim, Shape } from "./shape/dim.js";
export { ShapeError } from "./shape/errors.js";
export * from "./shape/index.js";
export * from "./ops/index.js";
export { ClosedJaxpr, Jaxpr } from "./core/jaxpr.js";

export { jvp } from "./transforms/jvp.js";
export { vmap } from "./transforms/vmap.js";
export type { Batched, BatchedArgs, VmapOptions } from "./transforms/vmap.js";
export { grad, valueAndGrad, vjp, linearize } from "./transforms/vjp.js";
export type { Argnums, GradOf, GradOptions, Scalar, ScalarOut } from "./transforms/vjp.js";
export { jit, makeJaxpr, showKernels } from "./transforms/jit.js";
export { getBackend, setBackend, type Backend, type BackendChoice } from "./backend/config.js";
export { kernelThreads, setKernelThreads } from "./backend/wasm/pool.js";
export { kernelThreadsReady } from "./backend/wasm/runtime.js";
export type { JitOptions } from "./transforms/jit.js";
export { jacfwd, jacrev, hessian } from "./transforms/jacobian.js";
export type { Jacobian } from "./transforms/jacobian.js";

export * as tree from "./core/tree-api.js";
export * as optim from "./optim/index.js";
export * as random from "./random/index.js";
export * as data from "./data/index.js";
export * as losses from "./losses/index.js";
export * as metrics from "./metrics/index.js";
export { fit } from "./train/index.js";
export type { FitOptions, FitResult, Progress } from "./train/index.js";
export * as nn from "./nn/index.js";
export type { SizeOf } from "./core/tensor.js";
export type { FitCheck } from "./train/index.js";
export type { Axes, BatchedAt, BatchedResult, InsertAxis, MappedSize } from "./transforms/vmap.js";
