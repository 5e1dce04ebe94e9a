import { expectError, expectType } from "tsd";
import {
  add,
  div,
  exp,
  log1p,
  maximum,
  mul,
  sigmoid,
  sign,
  sqrt,
  stopGradient,
  sub,
  sum,
  checkpoint,
  customJvp,
  customVjp,
  debugPrint,
  jit,
  peakBytes,
  safeNorm,
  setDebugNans,
  setDebugPrintSink,
  NaNError,
  type RematPolicy,
  type Tensor,
} from "typegrad";

declare const x3: Tensor<[3]>;
declare const x2: Tensor<[2]>;
declare const m: Tensor<[8, 3]>;
declare const f: (x: Tensor<[3]>, y: Tensor<[2]>) => Tensor<[]>;

// customJvp keeps f's type; the rule gets (primals, tangents) as f's argument tuples and returns [out, tangent out].
expectType<(x: Tensor<[3]>, y: Tensor<[2]>) => Tensor<[]>>(customJvp(f, ([x, y], [dx, dy]) => [f(x, y), f(dx, dy)]));
expectType<Tensor<[]>>(customJvp(f, ([x, y], [dx, dy]) => [f(x, y), f(dx, dy)])(x3, x2));
// primals are typed: swapping them is an error
expectError(customJvp(f, ([x, y]) => [f(y, x), f(x, y)]));
// the tangent out must have f's output type
declare const vec: (x: Tensor<[3]>) => Tensor<[3]>;
expectError(customJvp(vec, ([x], [dx]) => [vec(x), m]));

// customVjp: fwd's residual type flows to bwd; bwd returns a cotangent per argument of exactly its type.
const g = customVjp(
  f,
  (x, y) => [f(x, y), { saved: x }],
  (res, ct) => {
    expectType<{ saved: Tensor<[3]> }>(res);
    expectType<Tensor<[]>>(ct);
    return [x3, x2];
  },
);
expectType<(x: Tensor<[3]>, y: Tensor<[2]>) => Tensor<[]>>(g);
// a cotangent of the wrong shape, a missing one, or swapped ones are compile errors
expectError(customVjp(f, (x, y) => [f(x, y), x], () => [x2, x2]));
expectError(customVjp(f, (x, y) => [f(x, y), x], () => [x3]));
expectError(customVjp(f, (x, y) => [f(x, y), x], () => [x2, x3]));
// fwd's output must be f's
expectError(customVjp(f, (x) => [x, x], () => [x3, x2]));
// the residual is what fwd saved, not anything else
expectError(customVjp(f, (x, y) => [f(x, y), x], (res: Tensor<[2]>) => [x3, res]));

// checkpoint keeps the function's type; policies by name.
expectType<typeof f>(checkpoint(f));
expectType<typeof f>(checkpoint(f, { policy: "dotsSaveable" }));
expectError(checkpoint(f, { policy: "everything" }));
declare const policy: RematPolicy;
expectType<typeof f>(checkpoint(f, { policy }));

// safeNorm reduces like sum, for float tensors only.
expectType<Tensor<[]>>(safeNorm(x3));
expectType<Tensor<[8]>>(safeNorm(m, 1));
expectType<Tensor<[8, 1]>>(safeNorm(m, -1, true));
declare const ints: Tensor<[3], "int32">;
expectError(safeNorm(ints));
expectError(safeNorm(m, 2));

// debugging aids
expectType<void>(debugPrint("x", x3));
expectType<void>(debugPrint("tree", { a: x3, b: [x2] }));
expectError(debugPrint(3, x3));
setDebugNans(true);
expectError(setDebugNans("yes"));
expectType<typeof f>(jit(f, { debugNans: true, debugInfs: false }));
expectError(jit(f, { debugNans: 1 }));
setDebugPrintSink((label: string, values) => void [label, values.length]);
setDebugPrintSink(null);
expectType<number>(peakBytes(f)(x3, x2));
expectError(peakBytes(f)(x2, x3));
declare const e: NaNError;
expectType<string>(e.primitive);
expectType<readonly string[]>(e.functions);

// The README's snippets compile with the types they claim.
const softplus = customJvp(
  (x: Tensor<[3]>) => log1p(exp(x)),
  ([x], [dx]) => [log1p(exp(x)), mul(sigmoid(x), dx)],
);
expectType<Tensor<[3]>>(softplus(x3));
const clipGradient = customVjp(
  (x: Tensor<[3]>) => x,
  (x) => [x, null],
  (_, g) => [div(g, maximum(1, sqrt(sum(mul(g, g)))))],
);
expectType<Tensor<[3]>>(clipGradient(x3));
declare const x4: Tensor<[4]>;
expectType<Tensor<[4]>>(add(x4, stopGradient(sub(sign(x4), x4))));
