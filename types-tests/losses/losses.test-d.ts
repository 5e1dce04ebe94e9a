import { expectError, expectType } from "tsd";
import { losses, metrics, type Tensor } from "typegrad";

declare const logits: Tensor<["batch", 10]>;
declare const labels: Tensor<["batch"], "int32">;
declare const oneHot: Tensor<["batch", 10]>;
expectType<Tensor<[], "float32">>(losses.softmaxCrossEntropy(logits, labels));
expectType<Tensor<[], "float32">>(losses.softmaxCrossEntropy(logits, oneHot));
expectType<Tensor<["batch"], "float32">>(losses.softmaxCrossEntropy(logits, labels, "none"));
expectType<Tensor<["batch"], "float32">>(losses.softmaxCrossEntropy(logits, labels, "none", { checked: false }));
expectType<Tensor<[], "float32">>(metrics.accuracy(logits, labels, { checked: false }));
expectType<Tensor<[10, 10], "int32">>(metrics.confusionMatrix(logits, labels, 10, { checked: true }));
declare const wrongBatch: Tensor<["other"], "int32">;
expectError(losses.softmaxCrossEntropy(logits, wrongBatch));
declare const wrongClasses: Tensor<["batch", 9]>;
expectError(losses.softmaxCrossEntropy(logits, wrongClasses));

declare const pred: Tensor<[32, 1]>;
declare const target: Tensor<[32, 1]>;
expectType<Tensor<[], "float32">>(losses.mse(pred, target));
expectType<Tensor<[32, 1], "float32">>(losses.mse(pred, target, "none"));
declare const badTarget: Tensor<[32, 2]>;
expectError(losses.mse(pred, badTarget));

expectType<Tensor<[], "float32">>(metrics.accuracy(logits, labels));
expectType<Tensor<[10, 10], "int32">>(metrics.confusionMatrix(logits, labels, 10));
