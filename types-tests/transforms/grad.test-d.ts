import { expectError, expectType } from "tsd";
import { grad, hessian, jacfwd, jacrev, jit, jvp, valueAndGrad, vjp, vmap, type Tensor } from "typegrad";

declare const loss1: (x: Tensor<[3]>) => Tensor<[]>;
declare const x3: Tensor<[3]>;

// grad returns exactly the type of the differentiated argument.
expectType<Tensor<[3]>>(grad(loss1)(x3));

// A parameter tree: the gradient is a tree of the same type.
type Params = { dense1: { w: Tensor<[784, 128]>; b: Tensor<[128]> }; dense2: { w: Tensor<[128, 10]>; b: Tensor<[10]> } };
declare const params: Params;
declare const xb: Tensor<["batch", 784]>;
declare const yb: Tensor<["batch"], "int32">;
declare const mlpLoss: (p: Params, x: Tensor<["batch", 784]>, y: Tensor<["batch"], "int32">) => Tensor<[]>;
expectType<Params>(grad(mlpLoss)(params, xb, yb));
expectType<[Tensor<[]>, Params]>(valueAndGrad(mlpLoss)(params, xb, yb));

// argnums picks the argument (or a tuple of them).
declare const two: (a: Tensor<[2, 3]>, b: Tensor<[3]>) => Tensor<[]>;
declare const a23: Tensor<[2, 3]>;
expectType<Tensor<[3]>>(grad(two, { argnums: 1 })(a23, x3));
expectType<[Tensor<[2, 3]>, Tensor<[3]>]>(grad(two, { argnums: [0, 1] })(a23, x3));

// hasAux: f returns [loss, aux]; the aux comes back untouched beside the gradient.
declare const withAux: (x: Tensor<[3]>) => [Tensor<[]>, { acc: number }];
expectType<[Tensor<[3]>, { acc: number }]>(grad(withAux, { hasAux: true })(x3));

// Nested: grad(grad(f)) of a scalar function.
declare const cube: (x: Tensor<[]>) => Tensor<[]>;
declare const s: Tensor<[]>;
expectType<Tensor<[]>>(grad(grad(cube))(s));
expectType<Tensor<[]>>(jit(grad(cube))(s));
expectType<Tensor<[]>>(grad(jit(cube))(s));

// grad of a function whose result is not a scalar tensor is a compile error.
declare const notScalar: (x: Tensor<[3]>) => Tensor<[3]>;
expectError(grad(notScalar));
declare const intLoss: (x: Tensor<[3]>) => Tensor<[], "int32">;
expectError(grad(intLoss));
// Wrong argument types are compile errors too.
declare const x4: Tensor<[4]>;
expectError(grad(loss1)(x4));

// jit keeps the function's type.
const jitted = jit(mlpLoss);
expectType<typeof mlpLoss>(jitted);

// vmap adds the mapped dim to the types of arguments and results.
declare const perExample: (x: Tensor<[3]>) => Tensor<[]>;
expectType<Tensor<[32]>>(vmap(perExample)(null as unknown as Tensor<[32, 3]>));
expectType<Tensor<["batch"]>>(vmap(perExample)(null as unknown as Tensor<["batch", 3]>));
expectError(vmap(perExample)(null as unknown as Tensor<[32, 4]>));
// vmap(grad(f)): per-example gradients.
expectType<Tensor<[8, 3]>>(vmap(grad(perExample))(null as unknown as Tensor<[8, 3]>));
// inAxes null: the argument is shared, not mapped.
declare const affine: (x: Tensor<[3]>, w: Tensor<[3]>) => Tensor<[]>;
expectType<Tensor<[16]>>(vmap(affine, { inAxes: [0, null] })(null as unknown as Tensor<[16, 3]>, x3));

// jvp and vjp keep the argument and result types.
expectType<[Tensor<[]>, Tensor<[]>]>(jvp(loss1, [x3], [x3]));
const [out, pullback] = vjp(loss1, x3);
expectType<Tensor<[]>>(out);
expectType<[Tensor<[3]>]>(pullback(out));

// Jacobians: output dims, then input dims.
declare const elementwise: (x: Tensor<[3]>) => Tensor<[3]>;
expectType<Tensor<[3, 3]>>(jacfwd(elementwise)(x3));
expectType<Tensor<[3, 3]>>(jacrev(elementwise)(x3));
expectType<Tensor<[3, 3]>>(hessian(loss1)(x3));
