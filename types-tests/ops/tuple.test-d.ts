import { expectError, expectType } from "tsd";
import { concat, mapTuple, mul, slice, stack, tupleOf, type Dim, type Tensor, type TupleOf } from "typegrad";

declare const xs: Tensor<[4, 10, 8]>;
declare const n: number;

// tupleOf: the typed Array.from({ length: n }, f); stack/concat of it keep the count.
const steps = tupleOf(3, (t) => slice(xs, [null, [t, t + 1]]));
expectType<[Tensor<[4, number, 8]>, Tensor<[4, number, 8]>, Tensor<[4, number, 8]>]>(steps);
expectType<Tensor<[4, 3, number, 8]>>(stack(steps, 1));
expectType<Tensor<[3, 4, 10, 8]>>(stack(tupleOf(3, () => xs)));
expectType<Tensor<[4, 30, 8]>>(concat(tupleOf(3, () => xs), 1));
// Array.from gives an array of unknown length: the new dim is `number` (what the issue saw).
expectType<Tensor<[number, 4, 10, 8]>>(stack(Array.from({ length: 3 }, () => xs)));
// A length known only at run time, or a long one, is an array.
expectType<number[]>(tupleOf(n, () => 1));
expectType<number[]>(tupleOf(1000, () => 1));
expectType<[]>(tupleOf(0, () => 1));
expectType<TupleOf<string, 2>>(["a", "b"]);
expectError(tupleOf("3", () => 1));

// mapTuple: xs.map keeping a tuple's length.
expectType<[Tensor<[4, 10, 8]>, Tensor<[4, 10, 8]>]>(mapTuple([xs, xs], (x) => mul(x, 2)));
expectType<Tensor<[2, 4, 10, 8]>>(stack(mapTuple([xs, xs], (x) => mul(x, 2))));

// Tuples of literal tensors, also read-only ones, keep their lengths in stack and concat.
declare const a: Tensor<[2, 3]>;
const pair = [a, a] as const;
expectType<Tensor<[2, 2, 3]>>(stack(pair));
expectType<Tensor<[4, 3]>>(concat(pair));
expectType<Tensor<[3, 2, 3]>>(stack([...pair, a]));

// In a function generic over the batch and the sequence length, too.
export function steps4<B extends Dim, T extends Dim>(ys: Tensor<[B, T, 8]>, t: number) {
  const st = tupleOf(4, (i) => slice(ys, [null, [t + i, t + i + 1]]));
  expectType<Tensor<[B, 4, number, 8]>>(stack(st, 1));
  expectType<Tensor<[4, B, T, 8]>>(stack(tupleOf(4, () => ys)));
}
