import { expectError, expectType } from "tsd";
import {
  abs, add, cast, cos, div, equal, exp, greater, greaterEqual, less, lessEqual, log, maximum, minimum, mul, neg,
  notEqual, pow, reciprocal, sign, sin, sqrt, square, stopGradient, sub, tanh, where, erf, expm1, log1p, type Tensor,
} from "typegrad";

declare const x: Tensor<[32, 10]>;
declare const b: Tensor<[10]>;
declare const col: Tensor<[32, 1]>;
declare const bad: Tensor<[3, 10]>;
declare const i32: Tensor<[32, 10], "int32">;
declare const f64: Tensor<[10], "float64">;
declare const sym: Tensor<["batch", 10]>;
declare const wide: Tensor<[number, 10]>;

expectType<Tensor<[32, 10]>>(add(x, b));
expectType<Tensor<[32, 10]>>(sub(x, col));
expectType<Tensor<[32, 10]>>(mul(col, b));
expectType<Tensor<[32, 10]>>(pow(x, 2));
expectType<Tensor<[32, 10]>>(add(1, mul(x, x)));
expectType<Tensor<[32, 10]>>(maximum(x, 0));
expectType<Tensor<[32, 10]>>(minimum(0, x));
expectType<Tensor<[]>>(add(1, 2));
// dtype promotion; numbers are weak; true division is float.
expectType<Tensor<[32, 10], "int32">>(add(i32, 1));
expectType<Tensor<[32, 10], "float64">>(add(x, f64));
expectType<Tensor<[32, 10], "float32">>(div(i32, 2));
// Symbolic and runtime dims.
expectType<Tensor<["batch", 10]>>(add(sym, b));
expectType<Tensor<[32, 10]>>(add(wide, x));
expectType<Tensor<[number, 10]>>(mul(wide, b));

// Unary.
expectType<Tensor<[32, 10]>>(neg(x));
expectType<Tensor<[32, 10]>>(exp(x));
expectType<Tensor<[32, 10]>>(exp(i32));
expectType<Tensor<[10], "float64">>(log(f64));
expectType<Tensor<[32, 10]>>(sqrt(x));
expectType<Tensor<[32, 10], "int32">>(abs(i32));
expectType<Tensor<[32, 10]>>(sin(x));
expectType<Tensor<[32, 10]>>(cos(x));
expectType<Tensor<[32, 10]>>(tanh(x));
expectType<Tensor<[32, 10]>>(sign(x));
expectType<Tensor<[32, 10]>>(square(x));
expectType<Tensor<[32, 10]>>(reciprocal(x));

// Comparisons give bool; where broadcasts all three.
expectType<Tensor<[32, 10], "bool">>(less(x, b));
expectType<Tensor<[32, 10], "bool">>(lessEqual(x, 0));
expectType<Tensor<[32, 10], "bool">>(greater(col, b));
expectType<Tensor<[32, 10], "bool">>(greaterEqual(x, x));
expectType<Tensor<[32, 10], "bool">>(equal(i32, 3));
expectType<Tensor<[32, 10], "bool">>(notEqual(x, b));
expectType<Tensor<[32, 10]>>(where(greater(x, 0), x, 0));
expectType<Tensor<[32, 10]>>(where(greater(col, 0), b, 1));
expectType<Tensor<[32, 10], "int32">>(cast(x, "int32"));
expectType<Tensor<[32, 10]>>(stopGradient(x));

// Broadcast errors.
expectError(add(x, bad));
expectError(sub(bad, x));
expectError(mul(sym, bad));
expectError(less(x, bad));
expectError(where(greater(x, 0), bad, 0));
expectError(where(greater(x, 0), x, bad));

// The special functions keep the shape and compute in float (int32 promotes to float32).
expectType<Tensor<[32, 10]>>(erf(x));
expectType<Tensor<[10], "float64">>(expm1(f64));
expectType<Tensor<[32, 10]>>(log1p(i32));
expectError(erf(1));
expectError<Tensor<[32, 10], "int32">>(log1p(i32));
