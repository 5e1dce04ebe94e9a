import { expectError, expectType } from "tsd";
import { convAlgorithm, getBackend, jit, setBackend, setConvAlgorithm, showKernels, type Backend, type ConvAlgorithm, type Tensor } from "typegrad";

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

// The convolution algorithm is one of two names; anything else fails to compile.
setConvAlgorithm("direct");
setConvAlgorithm("auto");
expectType<ConvAlgorithm>(convAlgorithm());
expectError(setConvAlgorithm("winograd"));
expectError(setConvAlgorithm());
