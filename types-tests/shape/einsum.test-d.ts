import { expectError, expectType } from "tsd";
import type { Dim, Einsum, Shape } from "typegrad";

declare const v: <T>() => T;
declare function shape<S extends Shape>(s: S): S;

// Explicit and implicit outputs (implicit: `...`, then letters seen once, capitals first).
expectType<[8, 3, 5]>(v<Einsum<"bij,bjk->bik", [[8, 3, 4], [8, 4, 5]]>>());
expectType<[3, 5]>(v<Einsum<"bij,bjk", [[8, 3, 4], [8, 4, 5]]>>());
expectType<[4, 3]>(v<Einsum<"ij->ji", [[3, 4]]>>());
expectType<[4, 3]>(v<Einsum<"ba", [[3, 4]]>>());
expectType<[2, 7]>(v<Einsum<"aB,Bb", [[2, 7], [7, 7]]>>());
expectType<[7, 2]>(v<Einsum<"Ba,ab->Ba", [[7, 2], [2, 7]]>>());
// Traces, diagonals, sums, outer products, scalars, spaces.
expectType<[]>(v<Einsum<"ii", [[3, 3]]>>());
expectType<[3]>(v<Einsum<"ii->i", [[3, 3]]>>());
expectType<[]>(v<Einsum<"ij->", [[3, 4]]>>());
expectType<[3, 4]>(v<Einsum<"i,j->ij", [[3], [4]]>>());
expectType<[4]>(v<Einsum<",i->i", [[], [4]]>>());
expectType<[2, 5]>(v<Einsum<" i j , j k -> i k ", [[2, 3], [3, 5]]>>());
// Broadcast dims under `...`; an output without `...` sums them.
expectType<[2, 5, 3, 6]>(v<Einsum<"...ij,...jk->...ik", [[2, 1, 3, 4], [5, 4, 6]]>>());
expectType<[2, 5, 3, 6]>(v<Einsum<"...ij,...jk", [[2, 1, 3, 4], [5, 4, 6]]>>());
expectType<[3, 4]>(v<Einsum<"...ij,...jk->ij", [[2, 3, 4], [4, 6]]>>());
expectType<[3]>(v<Einsum<"i...->i", [[3]]>>());
// Names and runtime dims: a literal or name beats `number`.
expectType<["batch", 10]>(v<Einsum<"bi,ij->bj", [["batch", 784], [784, 10]]>>());
expectType<[5, 3]>(v<Einsum<"ij,jk->ki", [[3, number], [number, 5]]>>());
expectType<[number, 5]>(v<Einsum<"ij,jk,kl->il", [[number, number], [3, 4], [number, 5]]>>());
// Not a literal, or an operand of unknown rank: checked at run time.
expectType<number[]>(v<Einsum<string, [[2, 3]]>>());
expectType<number[]>(v<Einsum<"ij->i", [number[]]>>());

// Errors, with the runtime's text.
expectType<'einsum: "j" is 3 in operand 0 and 4 in operand 1 (spec "ij,jk", operand shapes [2, 3], [4, 5])'>(v<Einsum<"ij,jk", [[2, 3], [4, 5]]>>());
expectType<'einsum: "k" is 4 in operand 1 and 5 in operand 2 (spec "ij,jk,kl->il", operand shapes [2, number], [number, 4], [5, 5])'>(
  v<Einsum<"ij,jk,kl->il", [[2, number], [number, 4], [5, 5]]>>(),
);
expectType<'einsum: "i" is 2 in operand 0 and 3 in operand 0 (spec "ii", operand shapes [2, 3])'>(v<Einsum<"ii", [[2, 3]]>>());
expectType<'einsum: "i" is batch in operand 0 and 3 in operand 1 (spec "i,i", operand shapes [batch], [3])'>(v<Einsum<"i,i", [["batch"], [3]]>>());
expectType<'einsum: spec "ij,jk->ik" takes 2 operands, got 1'>(v<Einsum<"ij,jk->ik", [[2, 3]]>>());
expectType<'einsum: spec "i->i" takes 1 operand, got 2'>(v<Einsum<"i->i", [[2], [2]]>>());
expectType<'einsum: "ijk" names 3 dims but operand 0 is [2, 3] (spec "ijk")'>(v<Einsum<"ijk", [[2, 3]]>>());
expectType<'einsum: "...ijk" names at least 3 dims but operand 0 is [2, 3] (spec "...ijk")'>(v<Einsum<"...ijk", [[2, 3]]>>());
expectType<'einsum: output subscript "x" is not in any input (spec "ij->ix")'>(v<Einsum<"ij->ix", [[2, 3]]>>());
expectType<'einsum: output subscript "i" appears twice (spec "ij->ii")'>(v<Einsum<"ij->ii", [[2, 3]]>>());
expectType<'einsum: invalid subscript "1" in "i1" (subscripts are letters a-z, A-Z and "...")'>(v<Einsum<"i1", [[2, 3]]>>());
expectType<'einsum: more than one "..." in "i...j..." (spec "i...j...")'>(v<Einsum<"i...j...", [[2, 3]]>>());
expectType<'einsum: dims under "..." do not broadcast: 2 with 3 (spec "...i,...i", operand shapes [2, 4], [3, 4])'>(
  v<Einsum<"...i,...i", [[2, 4], [3, 4]]>>(),
);
expectError(shape(v<Einsum<"ij,jk", [[2, 3], [4, 5]]>>()));

// Generic over the batch and over a repeated dim.
function generic<B extends Dim, K extends Dim>() {
  expectType<[B, 3, 5]>(v<Einsum<"bij,bjk->bik", [[B, 3, 4], [B, 4, 5]]>>());
  expectType<[K]>(v<Einsum<"ii->i", [[K, K]]>>());
  expectType<[B, K]>(v<Einsum<"bi,ik->bk", [[B, 3], [3, K]]>>());
}
generic();
