import { expectError, expectType } from "tsd";
import { getBackend, jit, setBackend, showKernels, type Backend, type Tensor } from "typegrad";

declare const step: (w: Tensor<[784, 10]>, x: Tensor<[32, 784]>) => Tensor<[784, 10]>;
declare const w: Tensor<[784, 10]>;
declare const x: Tensor<[32, 784]>;

// Donation keeps the function's type; positions are numbers.
expectType<typeof step>(jit(step, { donate: [0] }));
expectError(jit(step, { donate: ["w"] }));

// The kernel listing takes the function's own argument types and gives text.
expectType<string>(showKernels(step)(w, x));
expectError(showKernels(step)(x, w));

// Backends by name only.
setBackend("js");
setBackend("auto");
expectError(setBackend("gpu"));
expectType<Backend>(getBackend());
expectType<"wasm" | "js">(getBackend());
