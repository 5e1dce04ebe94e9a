import { expectError, expectType } from "tsd";
import { oneHot, type IndexOptions, type Tensor } from "typegrad";

declare const labels: Tensor<[32], "int32">;
declare const symLabels: Tensor<["batch"], "int32">;
declare const floats: Tensor<[32]>;

expectType<Tensor<[32, 10]>>(oneHot(labels, 10));
expectType<Tensor<["batch", 10]>>(oneHot(symLabels, 10));
expectError(oneHot(floats, 10));
expectType<Tensor<[32, 10]>>(oneHot(labels, 10, { checked: false }));
expectType<boolean | undefined>(({} as IndexOptions).checked);
expectError(oneHot(labels, 10, { checked: "fill" }));
