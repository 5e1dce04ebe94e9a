import { expectAssignable, expectError, expectType } from "tsd";
import { grad, nn, random, type Dim, type DType, type Tensor } from "typegrad";

declare const v: <T>() => T;

// ---- a typed MLP: params, and apply over literal, symbolic and runtime batch dims ----

const mlp = nn.serial(nn.dense(784, 128), nn.relu, nn.dense(128, 10));
const params = mlp.init(random.key(0));
expectType<[{ w: Tensor<[784, 128]>; b: Tensor<[128]> }, {}, { w: Tensor<[128, 10]>; b: Tensor<[10]> }]>(params);
expectType<[{}, {}, {}]>(mlp.initState());

expectType<Tensor<[32, 10]>>(mlp.apply(params, v<Tensor<[32, 784]>>()));
expectType<Tensor<["batch", 10]>>(mlp.apply(params, v<Tensor<["batch", 784]>>()));
expectType<Tensor<[number, 10]>>(mlp.apply(params, v<Tensor<[number, 784]>>()));
expectType<Tensor<[32, 10], "float64">>(mlp.apply(mlp.init(random.key(0), { dtype: "float64" }), v<Tensor<[32, 784], "float64">>()));
// float32 parameters on a float64 input: a DTypeError at run time, so a compile error.
expectError(mlp.apply(params, v<Tensor<[32, 784], "float64">>()));
expectType<[Tensor<[32, 10]>, [{}, {}, {}]]>(mlp.applyStateful(params, mlp.initState(), v<Tensor<[32, 784]>>(), { training: true }));

// Inside a function generic over the batch dim, no casts are needed.
function forward<B extends Dim>(x: Tensor<[B, 784]>): Tensor<[B, 10]> {
  return mlp.apply(params, x);
}
expectType<Tensor<[7, 10]>>(forward(v<Tensor<[7, 784]>>()));

// ---- grad over the params tree returns the params tree ----

declare const xb: Tensor<["batch", 784]>;
const loss = (p: typeof params, x: Tensor<["batch", 784]>): Tensor<[]> => v<Tensor<[]>>();
expectType<typeof params>(grad(loss)(params, xb));
expectType<[{ w: Tensor<[784, 128]>; b: Tensor<[128]> }, {}, { w: Tensor<[128, 10]>; b: Tensor<[10]> }]>(grad(loss)(params, xb));

// ---- mis-wired stacks fail at construction, on the offending layer ----

expectError(nn.serial(nn.dense(784, 128), nn.relu, nn.dense(256, 10)));
expectError(nn.serial(nn.relu, nn.dense(784, 128), nn.sigmoid, nn.dense(128, 64), nn.tanh, nn.dense(32, 10)));
expectError(nn.serial(nn.dense(10, 32), nn.batchNorm(16)));
expectError(nn.serial(nn.input([28, 28, 1]), nn.conv2d(3, 6, 5)));

// The message names the layer, the expected and the actual shapes.
type Unknown = Tensor<Dim[], DType>;
type Dense<I extends number, O extends number> = ReturnType<typeof nn.dense<I, O>>;
expectType<"layer 2: dense(256, 10) expects input [256] but got [128]">(
  v<nn.CallLayerFn<nn.SerialFn<[Dense<784, 128>, typeof nn.relu, Dense<256, 10>]>, Unknown>>(),
);

// ---- and at apply time, on `x`, when the input shape is what is wrong ----

expectError(mlp.apply(params, v<Tensor<[32, 100]>>()));
expectType<"layer 0: dense(784, 128) expects input [784] but got [100]">(v<nn.CheckInput<nn.FnOf<typeof mlp>, Tensor<[32, 100]>>>());
expectError(mlp.apply(params, v<Tensor<[]>>()));

// ---- parallel and residual ----

const heads = nn.parallel(nn.dense(64, 10), nn.dense(64, 1));
expectType<[Tensor<[8, 10]>, Tensor<[8, 1]>]>(heads.apply(heads.init(random.key(0)), v<Tensor<[8, 64]>>()));
expectType<[{ w: Tensor<[64, 10]>; b: Tensor<[10]> }, { w: Tensor<[64, 1]>; b: Tensor<[1]> }]>(heads.init(random.key(0)));
expectError(nn.parallel(nn.dense(64, 10), nn.dense(32, 1)).apply(v(), v<Tensor<[8, 64]>>()));

const block = nn.residual(nn.serial(nn.dense(128, 128), nn.relu));
expectType<Tensor<["batch", 128]>>(block.apply(block.init(random.key(0)), v<Tensor<["batch", 128]>>()));
expectError(nn.residual(nn.dense(128, 64)));
expectAssignable<nn.AnyLayer>(block);

// ---- a deep stack (24 layers) still computes its output type ----

const deep = nn.serial(
  nn.dense(64, 64), nn.relu, nn.dense(64, 64), nn.relu, nn.dense(64, 64), nn.relu, nn.dense(64, 64), nn.relu,
  nn.dense(64, 64), nn.relu, nn.dense(64, 64), nn.relu, nn.dense(64, 64), nn.relu, nn.dense(64, 64), nn.relu,
  nn.dense(64, 32), nn.relu, nn.layerNorm(32), nn.dense(32, 16), nn.gelu, nn.dense(16, 8), nn.softmax, nn.identity,
);
expectType<Tensor<[4, 8]>>(deep.apply(deep.init(random.key(0)), v<Tensor<[4, 64]>>()));

// ---- user-defined layers: a LayerFn is an open type-level function (here on a tuple input) ----

interface SumPairFn extends nn.LayerFn {
  readonly out: this["in"] extends readonly [infer A extends Tensor<Dim[], DType>, Tensor<Dim[], DType>]
    ? A
    : "sumPair expects a pair of tensors";
}
declare const sumPair: nn.Layer<SumPairFn, {}>;
const twoHeads = nn.serial(nn.parallel(nn.dense(4, 3), nn.dense(4, 3)), sumPair, nn.dense(3, 1));
expectType<Tensor<[9, 1]>>(twoHeads.apply(twoHeads.init(random.key(0)), v<Tensor<[9, 4]>>()));
expectError(nn.serial(nn.dense(4, 3), sumPair));
expectType<"layer 1: sumPair expects a pair of tensors">(
  v<nn.CallLayerFn<nn.SerialFn<[Dense<4, 3>, typeof sumPair]>, Unknown>>(),
);

// An untyped custom layer (makeLayer without a LayerFn) accepts anything; its output has unknown shape.
const untyped = nn.makeLayer({ name: "passThrough", init: () => ({}), apply: (_p, x) => x });
const mixed = nn.serial(nn.dense(4, 3), untyped, nn.dense(3, 1));
expectType<Tensor<[9, 1], DType>>(mixed.apply(mixed.init(random.key(0)), v<Tensor<[9, 4]>>()));
