/** vmap's static types follow inAxes/outAxes exactly, negative axes too, and read the mapped size from the arguments (issue 10, item 5). */
import { expectError, expectType } from "tsd";
import { grad, vmap, zeros, type Dim, type Tensor } from "typegrad";

declare const perExample: (x: Tensor<[3]>) => Tensor<[]>;
declare const keep: (x: Tensor<[2, 3]>) => Tensor<[2, 3]>;
declare const two: (x: Tensor<[3]>, y: Tensor<[3]>) => Tensor<[3]>;
declare const pair: (x: Tensor<[3]>) => [Tensor<[3]>, Tensor<[]>];
declare const params: (p: { w: Tensor<[3]>; b: Tensor<[]> }) => Tensor<[]>;
declare const x32: Tensor<[32, 3]>;
declare const y64: Tensor<[64, 3]>;
declare const wide: Tensor<[number, 3]>;
declare const named: Tensor<["batch", 3]>;

// in axes: the mapped dim is where the argument has it.
expectType<Tensor<[32]>>(vmap(perExample)(x32));
expectType<Tensor<[32]>>(vmap(perExample, { inAxes: 1 })(zeros([3, 32])));
expectType<Tensor<[32]>>(vmap(perExample, { inAxes: -1 })(zeros([3, 32])));
expectType<Tensor<[5, 2, 3]>>(vmap(keep, { inAxes: 1 })(zeros([2, 5, 3])));
expectType<Tensor<[5, 2, 3]>>(vmap(keep, { inAxes: -1 })(zeros([2, 3, 5])));
expectType<Tensor<[5, 2, 3]>>(vmap(keep, { inAxes: -3 })(zeros([5, 2, 3])));
expectError(vmap(perExample, { inAxes: 1 })(x32));
expectError(vmap(perExample, { inAxes: 2 })(zeros([3, 32])));
expectError(vmap(perExample, { inAxes: -3 })(zeros([3, 32])));
// out axes: the mapped dim goes where asked (the issue: outAxes 1 of a [2, 3] result over 5 is [2, 5, 3]).
expectType<Tensor<[2, 5, 3]>>(vmap(keep, { outAxes: 1 })(zeros([5, 2, 3])));
expectType<Tensor<[2, 3, 5]>>(vmap(keep, { outAxes: 2 })(zeros([5, 2, 3])));
expectType<Tensor<[2, 3, 5]>>(vmap(keep, { outAxes: -1 })(zeros([5, 2, 3])));
expectType<Tensor<[5, 2, 3]>>(vmap(keep, { outAxes: -3 })(zeros([5, 2, 3])));
expectType<Tensor<[3, 32]>>(vmap(two, { inAxes: [0, null], outAxes: 1 })(x32, zeros([3])));
expectType<[Tensor<[3, 32]>, Tensor<[32]>]>(vmap(pair, { outAxes: [1, 0] })(x32));
expectType<[Tensor<[3, 32]>, Tensor<[32]>]>(vmap(pair, { outAxes: -1 })(x32));
expectType<Tensor<[2, 3, 5]>>(vmap(keep, { inAxes: -1, outAxes: -1 })(zeros([2, 3, 5])));
// pytree arguments: every leaf is mapped along the axis.
expectType<Tensor<[32]>>(vmap(params)({ w: x32, b: zeros([32]) }));
expectType<Tensor<[32]>>(vmap(params, { inAxes: 0 })({ w: x32, b: zeros([32]) }));
expectType<Tensor<[32, 3]>>(vmap(grad(perExample))(x32));

// The mapped size is read from the arguments: mismatched sizes are an error on the argument that
// differs ("vmap: mapped axes have different sizes: 32 vs 64 (argument 1)"), never a union.
expectError(vmap(two)(x32, y64));
expectError(vmap(params)({ w: x32, b: zeros([64]) }));
// …a `number` size matches anything, and a literal or a name wins over it.
expectType<Tensor<[32, 3]>>(vmap(two)(x32, wide));
expectType<Tensor<[32, 3]>>(vmap(two)(wide, x32));
expectType<Tensor<["batch", 3]>>(vmap(two)(named, wide));
expectType<Tensor<[number, 3]>>(vmap(two)(wide, wide));
expectError(vmap(two)(named, x32));
// …and a size that is a type parameter flows through.
export function mapped<B extends Dim>(x: Tensor<[B, 3]>, y: Tensor<[B, 3]>) {
  expectType<Tensor<[B, 3]>>(vmap(two)(x, y));
  expectType<Tensor<[B]>>(vmap(perExample)(x));
  expectType<Tensor<[3, B]>>(vmap(two, { outAxes: 1 })(x, y));
}
