import { expectError, expectType } from "tsd";
import { vmap, type BatchedResult, type Tensor } from "typegrad";

// outAxes as axis trees (JAX's out_axes pytrees): each output tensor gains the mapped dim at the
// axis of its subtree; those under null keep their per-example type.
type Out = readonly [Tensor<[3]>, { total: Tensor<[]>; weight: Tensor<[]> }];
declare const f: (r: Tensor<[3]>, v: Tensor<[3]>) => Out;
declare const x: Tensor<[4, 3]>;
declare const w: Tensor<[3]>;

expectType<[Tensor<[3, 4]>, { total: Tensor<[4]>; weight: Tensor<[]> }]>(vmap(f, { inAxes: [0, null], outAxes: [1, { total: 0, weight: null }] })(x, w));
expectType<[Tensor<[4, 3]>, { total: Tensor<[4]>; weight: Tensor<[4]> }]>(vmap(f, { inAxes: [0, null], outAxes: [0, { total: 0, weight: -1 }] })(x, w));
// one axis for a whole subtree, negative axes counted in the batched shape
expectType<[Tensor<[3, 4]>, { total: Tensor<[4]>; weight: Tensor<[4]> }]>(vmap(f, { inAxes: [0, null], outAxes: [-1, 0] })(x, w));

// Records and nested arrays.
declare const g: (r: Tensor<[3]>) => { a: readonly [Tensor<[3]>, Tensor<[2]>]; b: { c: Tensor<[3]> } };
expectType<{ a: [Tensor<[3, 4]>, Tensor<[2, 4]>]; b: { c: Tensor<[4, 3]> } }>(vmap(g, { outAxes: { a: -1, b: { c: 0 } } })(x));
expectType<{ a: [Tensor<[4, 3]>, Tensor<[2]>]; b: { c: Tensor<[3]> } }>(vmap(g, { outAxes: { a: [0, null], b: null } })(x));

// A list of one axis for a tensor result applies to it.
declare const h: (r: Tensor<[3]>) => Tensor<[3]>;
expectType<Tensor<[3, 4]>>(vmap(h, { outAxes: [1] })(x));

// Trees that are not a prefix of the result are refused where the option is given …
expectError(vmap(g, { outAxes: { a: 0, c: 0 } }));
expectError(vmap(g, { outAxes: { a: [0, 0, 0], b: 0 } }));
expectError(vmap(g, { outAxes: { a: 0, b: { c: [0] } } }));
expectError(vmap(f, { inAxes: [0, null], outAxes: [0] }));
expectError(vmap(h, { outAxes: [0, 1] }));
expectError(vmap(h, { outAxes: { a: 0 } }));
// … as are values that are not axes, and axes out of range give the runtime's message.
expectError(vmap(g, { outAxes: { a: "0", b: 0 } }));
expectType<"vmap: axis 2 is out of range for per-example shape [] (valid: -1 to 0)">(vmap(f, { inAxes: [0, null], outAxes: [0, { total: 2, weight: null }] })(x, w)[1].total);

// The type relation itself.
expectType<[Tensor<[3, 7]>, { total: Tensor<[7]>; weight: Tensor<[]> }]>(null as unknown as BatchedResult<Out, 7, [1, { total: 0; weight: null }]>);
