import { expectError, expectType } from "tsd";
import { add, cond, foriLoop, mul, scan, switchCase, tanh, whileLoop, type Tensor } from "typegrad";

declare const h0: Tensor<[4]>;
declare const xs: Tensor<[10, 4]>;
declare const named: Tensor<["time", 4]>;
declare const w: Tensor<[4]>;

// scan: the carry keeps its type; x is one slice of xs; ys are stacked along the scanned dim.
const [hLast, ys] = scan((h, x) => [tanh(add(mul(h, w), x)), mul(h, h)] as const, h0, xs);
expectType<Tensor<[4]>>(hLast);
expectType<Tensor<[10, 4]>>(ys);

// A named scanned dim is carried into the ys.
expectType<Tensor<["time", 4]>>(scan((h: Tensor<[4]>, x: Tensor<[4]>) => [add(h, x), x] as const, h0, named)[1]);

// Pytrees: the slice type follows the tree, and so do the stacked ys.
const [, pairYs] = scan(
  (c: Tensor<[4]>, x: { a: Tensor<[4]>; b: Tensor<[]> }) => [add(c, x.a), { s: x.b, v: c }] as const,
  h0,
  { a: xs, b: {} as Tensor<[10]> },
);
expectType<{ s: Tensor<[10]>; v: Tensor<[10, 4]> }>(pairYs);

// No xs: the length option is the stacked dim.
expectType<Tensor<[5, 4]>>(scan((c: Tensor<[4]>) => [c, c] as const, h0, null, { length: 5 })[1]);

// The carry must come back with the type it went in with.
declare const grow: (c: Tensor<[4]>, x: Tensor<[4]>) => readonly [Tensor<[5]>, Tensor<[4]>];
expectError(scan(grow, h0, xs));
// x must be a slice of xs.
declare const wrongSlice: (c: Tensor<[4]>, x: Tensor<[3]>) => readonly [Tensor<[4]>, Tensor<[]>];
expectError(scan(wrongSlice, h0, xs));

// cond: both branches return the same type, which is the result.
declare const p: Tensor<[], "bool">;
declare const v3: Tensor<[3]>;
expectType<Tensor<[3]>>(cond(p, (v) => mul(v, 2), (v) => add(v, 1), v3));
expectType<{ y: Tensor<[3]> }>(cond(p, (v: Tensor<[3]>) => ({ y: v }), (v: Tensor<[3]>) => ({ y: tanh(v) }), v3));
// Branches of different types: a compile error naming both.
declare const toFour: (v: Tensor<[3]>) => Tensor<[4]>;
declare const keep: (v: Tensor<[3]>) => Tensor<[3]>;
expectError(cond(p, keep, toFour, v3));
// Operands must fit the branches.
declare const v4: Tensor<[4]>;
expectError(cond(p, keep, keep, v4));

// switchCase: every branch returns one type.
declare const k: Tensor<[], "int32">;
expectType<Tensor<[3]>>(switchCase(k, [keep, (v: Tensor<[3]>) => tanh(v)], v3));
expectError(switchCase(k, [keep, toFour], v3));

// whileLoop and foriLoop: the body returns the carry's type.
expectType<Tensor<[3]>>(whileLoop((c: Tensor<[3]>) => ({}) as Tensor<[], "bool">, (c) => add(c, 1), v3));
expectError(whileLoop((c: Tensor<[3]>) => ({}) as Tensor<[], "bool">, toFour, v3));
expectType<Tensor<[3]>>(foriLoop(0, 5, (i, c: Tensor<[3]>) => add(c, 1), v3));
expectError(foriLoop(0, 5, (i, c: Tensor<[3]>) => toFour(c), v3));
