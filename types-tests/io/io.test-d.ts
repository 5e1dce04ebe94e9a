// Save and load keep the types: a loaded tree has exactly the template's type, specs become
// tensors of their shapes, and what cannot be saved does not compile.
import { expectError, expectType } from "tsd";
import type { Either } from "fp-ts/lib/Either.js";
import { fit, io, losses, nn, optim, random, zeros, type Tensor, type TrainState } from "typegrad";
import { loadSafetensorsFile, loadTrainStateFile, saveSafetensorsFile } from "typegrad/node";

const model = nn.serial(nn.dense(784, 128), nn.relu, nn.dense(128, 10));
const params = model.init(random.key(0));
type Params = typeof params;
declare const bytes: Uint8Array;

// ---- loadSafetensors: the template's own type ----
expectType<Either<io.IoError, Params>>(io.loadSafetensors(bytes, params));
expectType<Either<io.IoError, Params>>(loadSafetensorsFile("m.safetensors", params));
// An inline template is read as a const literal (so arrays stay tuples): its fields come back readonly.
expectType<Either<io.IoError, { readonly w: Tensor<[2, 3]>; readonly n: Tensor<[], "int32"> }>>(io.loadSafetensors(bytes, { w: zeros([2, 3]), n: zeros([], "int32") }));

// ---- specs: shapes and dtypes without tensors ----
expectType<io.TensorSpec<[16, "vocab"], "float32">>(io.spec([16, "vocab"]));
expectType<io.TensorSpec<[3], "bool">>(io.spec([3], "bool"));
const fromSpecs = io.loadSafetensors(bytes, { embed: io.spec(["vocab", 64]), head: [io.spec([64, 10]), io.spec([10], "float64")] });
expectType<Either<io.IoError, { embed: Tensor<["vocab", 64]>; head: [Tensor<[64, 10]>, Tensor<[10], "float64">] }>>(fromSpecs);
expectError(io.spec([2], "float16"));

// ---- what cannot be saved or used as a template ----
expectType<Uint8Array>(io.saveSafetensors(params, { epoch: "3" }));
expectError(io.saveSafetensors({ w: zeros([2]), lr: 0.1 }));
expectError(io.saveSafetensors({ w: zeros([2]) }, { epoch: 3 }));
expectError(io.loadSafetensors(bytes, { w: [2, 3] }));
expectError(saveSafetensorsFile("m.safetensors", { name: "mlp" }));

// ---- training states and fit ----
const opt = optim.adam(1e-3);
type S = optim.StateOf<typeof opt, Params>;
const state = io.loadTrainState(bytes, { params, optState: opt.init(params) });
expectType<Either<io.IoError, TrainState<Params, S>>>(state);
expectType<Either<io.IoError, TrainState<Params, S>>>(loadTrainStateFile("run.safetensors", { params, optState: opt.init(params) }));
declare const ts: TrainState<Params, S>;
expectType<Uint8Array>(io.saveTrainState(ts));

declare const train: { x: Tensor<[number, 784]>; y: Tensor<[number], "int32"> };
const loss = (p: Params, x: Tensor<[number, 784]>, y: Tensor<[number], "int32">) => losses.softmaxCrossEntropy(model.apply(p, x), y);
const common = { optimizer: opt, loss, data: train, epochs: 5, batchSize: 64 };
const resumed = fit({ ...common, resume: ts });
expectType<Params>(resumed.params);
expectType<TrainState<Params, S>>(resumed.trainState);
fit({ ...common, params, key: random.key(1), onEpochEnd: (s) => expectType<TrainState<Params, S>>(s) });
expectError(fit({ ...common, resume: ts, params }));
declare const otherModel: TrainState<ReturnType<ReturnType<typeof nn.dense<784, 64>>["init"]>, S>;
expectError(fit({ ...common, resume: otherModel }));
