// A deliberately wrong type assertion: tsd must report it. If tsd ever passes this file, the type
// tests are not being run (e.g. `types` no longer points at a built .d.ts) and CI must fail.
import { expectType } from "tsd";
import { grad, type Tensor } from "typegrad";

declare const loss: (x: Tensor<[2]>) => Tensor<[]>;
declare const x: Tensor<[2]>;
expectType<Tensor<[3]>>(grad(loss)(x));
