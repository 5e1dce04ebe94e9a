/**
 * Deep learning in TypeScript: tensors whose shapes are part of their types, models as pure
 * functions of typed parameter trees, and `grad`, `jit` and `vmap` as composable transforms.
 * Tensor operations and transforms are exported by name; layers, optimizers, losses, sampling,
 * data handling, metrics and tree utilities live in the namespaces `nn`, `optim`, `losses`,
 * `random`, `data`, `metrics` and `tree`.
 *
 * @file The public surface of typegrad: every export by name, plus the `tree` namespace. The two
 * registrations happen here, once, before any user code runs: the primitives' rule table, and
 * the tensor methods (`x.add(y)`, …).
 * @module typegrad
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
export { jit, makeJaxpr, showKernels, peakBytes } from "./transforms/jit.js";
export { getBackend, setBackend, type Backend, type BackendChoice } from "./backend/config.js";
export { kernelThreads, setKernelThreads } from "./backend/wasm/pool.js";
export { kernelThreadsReady } from "./backend/wasm/runtime.js";
export { convAlgorithm, setConvAlgorithm, type ConvAlgorithm } from "./backend/wasm/winograd.js";
export type { JitOptions } from "./transforms/jit.js";
export { jacfwd, jacrev, hessian } from "./transforms/jacobian.js";
export * from "./control/index.js";
export type { Jacobian } from "./transforms/jacobian.js";

/**
 * Pytree utilities: map, flatten and unflatten nested records, arrays and tuples of tensors.
 * @category Namespaces
 */
export * as tree from "./core/tree-api.js";
/**
 * Optimizers as pure gradient transformations (`{ init, update }`), their combinators and learning-rate schedules.
 * @category Namespaces
 */
export * as optim from "./optim/index.js";
/**
 * Splittable random keys (Threefry) and samplers; there is no global random state.
 * @category Namespaces
 */
export * as random from "./random/index.js";
/**
 * Datasets: the IDX file format, batching and shuffling with keys, train/test splits, standardization.
 * @category Namespaces
 */
export * as data from "./data/index.js";
/**
 * Loss functions, numerically stable, reducing to a scalar by default.
 * @category Namespaces
 */
export * as losses from "./losses/index.js";
/**
 * Evaluation metrics: accuracy and the confusion matrix.
 * @category Namespaces
 */
export * as metrics from "./metrics/index.js";
export { fit } from "./train/index.js";
export type { FitOptions, FitResult, Progress } from "./train/index.js";
/**
 * Layers as `{ init, apply }` values, typed over the per-example shape, with combinators, activations and initializers.
 * @category Namespaces
 */
export * as nn from "./nn/index.js";
export type { SizeOf } from "./core/tensor.js";
export type { FitCheck } from "./train/index.js";
export type { Axes, BatchedAt, BatchedResult, InsertAxis, MappedSize } from "./transforms/vmap.js";
export { customJvp, customVjp } from "./transforms/custom-derivatives.js";
export type { CustomOptions } from "./transforms/custom-derivatives.js";
export { checkpoint } from "./transforms/checkpoint.js";
export type { CheckpointOptions, RematPolicy } from "./transforms/checkpoint.js";
export { debugPrint, setDebugPrintSink } from "./transforms/debug-print.js";
export type { DebugPrintSink } from "./transforms/debug-print.js";
export { NaNError, setDebugNans, setDebugInfs } from "./transforms/debug-nans.js";
/**
 * Saving and loading: parameter trees and training states as safetensors bytes, checked leaf by leaf against the model on load.
 * @category Namespaces
 */
export * as io from "./io/index.js";
export type { TrainState } from "./train/index.js";
export { KernelError } from "./backend/kernel-error.js";
export type { AxisTree, InAxesOption } from "./transforms/vmap-axes.js";
export type { BatchedAlong } from "./transforms/vmap.js";
export type { CheckOutAxes } from "./transforms/vmap.js";
