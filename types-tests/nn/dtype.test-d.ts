import { expectAssignable, expectError, expectType } from "tsd";
import { grad, losses, nn, optim, random, valueAndGrad, type Tensor } from "typegrad";

const key = random.key(0);

// A layer made with a dtype: its parameters have it.
const d64 = nn.dense(4, 8, { dtype: "float64" });
expectType<{ w: Tensor<[4, 8], "float64">; b: Tensor<[8], "float64"> }>(d64.init(key));
expectType<nn.DenseParams<4, 8, "float64">>(d64.init(key));
expectType<nn.DenseParams<4, 8>>(nn.dense(4, 8).init(key));
expectType<nn.Conv2dParams<1, 6, 5, "float64">>(nn.conv2d(1, 6, 5, { dtype: "float64" }).init(key));
expectType<nn.NormParams<8, "float64">>(nn.layerNorm(8, { dtype: "float64" }).init(key));
expectType<nn.BatchNormState<8, "float64">>(nn.batchNorm(8, { dtype: "float64" }).initState());
expectType<nn.EmbeddingParams<100, 16, "float64">>(nn.embedding(100, 16, { dtype: "float64" }).init(key));
expectError(nn.dense(4, 8, { dtype: "int32" }));
// …the recurrent layers, attention, positional embeddings and transformer blocks too.
expectType<nn.SimpleRnnParams<8, 16, "float64">>(nn.simpleRnn(8, 16, { dtype: "float64" }).init(key));
expectType<nn.LstmParams<8, 16, "float64">>(nn.lstm(8, 16, { dtype: "float64", returnSequences: false }).init(key));
expectType<Tensor<[16, 48], "float64">>(nn.gru(8, 16, { dtype: "float64" }).init(key).wh);
expectType<nn.MultiHeadParams<64, "float64">>(nn.multiHeadAttention(64, 8, { dtype: "float64" }).init(key));
expectType<nn.PositionalParams<16, 64, "float64">>(nn.positionalEmbedding(16, 64, { dtype: "float64" }).init(key));
expectType<nn.TransformerBlockParams<64, 256, "float64">>(nn.transformerBlock(64, 4, 256, { dtype: "float64" }).init(key));
expectType<nn.MultiHeadParams<64>>(nn.multiHeadAttention(64, 8).init(key));
expectError(nn.lstm(8, 16, { dtype: "int32" }));
expectError(nn.transformerBlock(64, 4, 256, { dtype: "bool" }));

// A whole model in float64 through init's dtype, typed through apply, grad and optimizer state.
const model = nn.serial(nn.dense(4, 8), nn.tanh, nn.dense(8, 1));
type Params = ReturnType<typeof model.init>;
expectType<[nn.DenseParams<4, 8>, {}, nn.DenseParams<8, 1>]>(null! as Params);
expectType<Params>(null! as nn.ParamsOf<typeof model>);
const p64 = model.init(key, { dtype: "float64" });
type Params64 = typeof p64;
expectType<[nn.DenseParams<4, 8, "float64">, {}, nn.DenseParams<8, 1, "float64">]>(p64);
declare const x64: Tensor<["batch", 4], "float64">;
declare const y64: Tensor<["batch", 1], "float64">;
expectType<Tensor<["batch", 1], "float64">>(model.apply(p64, x64));
const loss = (p: Params64, x: Tensor<["batch", 4], "float64">, y: Tensor<["batch", 1], "float64">) => losses.mse(model.apply(p, x), y);
expectType<Params64>(grad(loss)(p64, x64, y64));
expectType<[Tensor<[], "float64">, Params64]>(valueAndGrad(loss)(p64, x64, y64));
const opt = optim.adam(1e-3);
const state = opt.init(p64);
expectType<optim.StateOf<typeof opt, Params64>>(state);
expectAssignable<{ mu: Params64; nu: Params64 }>(state[0]);
expectType<[Params64, optim.StateOf<typeof opt, Params64>]>(opt.update(grad(loss)(p64, x64, y64), state, p64));
// The float32 parameters still apply; a non-float dtype is refused.
expectType<Tensor<["batch", 1]>>(model.apply(model.init(key), null! as Tensor<["batch", 4]>));
expectError(model.init(key, { dtype: "int32" }));
// State of stateful layers, too.
const bn = nn.batchNorm(8);
expectType<nn.BatchNormState<8, "float64">>(bn.initState({ dtype: "float64" }));
