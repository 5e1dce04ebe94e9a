/** @file The `nn` namespace: layers as `{ init, apply }` values, combinators and initializers, exported by name. */
export { makeLayer } from "./layer.js";
export type {
  AnyLayer,
  ApplyOptions,
  CallLayerFn,
  CheckInput,
  FnOf,
  Layer,
  LayerDef,
  LayerFn,
  LayerInput,
  Output,
  ParamsOf,
  SplitBatch,
  StateOf,
  UntypedFn,
  Value,
} from "./layer.js";
export type { FixedMap, KeepLastDim, KeepTensor, NotOneTensor, ShapesMatch, ShowValue } from "./shape-check.js";
export { serial, parallel, residual } from "./combinators.js";
export type { ParallelFn, ParamsList, ResidualFn, SerialFn, StateList } from "./combinators.js";
export { dense } from "./dense.js";
export type { DenseFn, DenseOptions, DenseParams } from "./dense.js";
export { conv2d } from "./conv.js";
export type { Conv2dFn, Conv2dOptions, Conv2dParams, Pair, ShowSize, Size2, SpatialMap } from "./conv.js";
export { maxPool2d, avgPool2d } from "./pool.js";
export type { Pool2dFn } from "./pool.js";
export { flatten, input } from "./shape-layers.js";
export type { FlattenFn, InputFn } from "./shape-layers.js";
export { dropout } from "./dropout.js";
export { batchNorm, layerNorm } from "./norm.js";
export type { BatchNormState, NormFn, NormOptions, NormParams } from "./norm.js";
export { embedding } from "./embedding.js";
export { simpleRnn, lstm, gru } from "./recurrent.js";
export type { GruParams, LstmParams, RecurrentFn, RecurrentMap, RecurrentOptions, SimpleRnnParams } from "./recurrent.js";
export type { EmbeddingFn, EmbeddingParams } from "./embedding.js";
export { relu, leakyRelu, sigmoid, tanh, gelu, softplus, softmax, identity } from "./activations.js";
export type { Activation, KeepFn } from "./activations.js";
export {
  computeFans,
  glorotNormal,
  glorotUniform,
  heNormal,
  heUniform,
  lecunNormal,
  normalInit,
  ones,
  varianceScaling,
  zeros,
} from "./init.js";
export type { Initializer } from "./init.js";
export type { InitOptions, LayerResult, ParamsLike, WithDType } from "./layer.js";
export { maxPool1d, avgPool1d } from "./pool.js";
export type { Pool1dFn } from "./pool.js";
export { globalMaxPool, globalAvgPool } from "./global-pool.js";
export type { GlobalPoolFn } from "./global-pool.js";
export { silu, swish, elu, selu, mish } from "./activation-units.js";
export { dotProductAttention } from "./dot-product-attention.js";
export type { AttentionOptions } from "./dot-product-attention.js";
export { splitHeads, mergeHeads } from "./heads.js";
export { multiHeadAttention } from "./attention.js";
export type { HeadsArg, MultiHeadOptions, MultiHeadParams, SeqFn } from "./attention.js";
export { positionalEmbedding } from "./positional.js";
export type { PositionalFn, PositionalParams } from "./positional.js";
export { transformerBlock } from "./transformer.js";
export type { TransformerBlockOptions, TransformerBlockParams } from "./transformer.js";
export type { FitSeq, KeepSeq } from "./seq-check.js";
