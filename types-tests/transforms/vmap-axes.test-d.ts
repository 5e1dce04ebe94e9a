import { expectError, expectType } from "tsd";
import { vmap, type BatchedAlong, type Tensor } from "typegrad";

// inAxes as axis trees (JAX's in_axes pytrees): the tensors under an axis gain the mapped dim,
// those under null keep their type.
type Params = { w: Tensor<[2, 3]>; b: Tensor<[2]> };
declare const affine: (p: Params, x: Tensor<[3]>) => Tensor<[2]>;
declare const w: Tensor<[2, 3]>;
declare const b8: Tensor<[8, 2]>;
declare const x8: Tensor<[8, 3]>;

// w shared, b mapped, x mapped.
const perBias = vmap(affine, { inAxes: [{ w: null, b: 0 }, 0] });
expectType<Tensor<[8, 2]>>(perBias({ w, b: b8 }, x8));
// the shared weight keeps its per-example type: a batched one is refused …
expectError(perBias({ w: null as unknown as Tensor<[8, 2, 3]>, b: b8 }, x8));
// … and the mapped bias must have the batch dim.
expectError(perBias({ w, b: null as unknown as Tensor<[2]> }, x8));

// Arrays inside records.
declare const pairs: (t: { pair: [Tensor<[3]>, Tensor<[4]>]; s: Tensor<[]> }) => Tensor<[]>;
const mapped = vmap(pairs, { inAxes: [{ pair: [0, null], s: null }] });
declare const a5: Tensor<[5, 3]>;
declare const c4: Tensor<[4]>;
declare const s: Tensor<[]>;
expectType<Tensor<[5]>>(mapped({ pair: [a5, c4], s }));
expectError(mapped({ pair: [a5, null as unknown as Tensor<[5, 4]>], s }));

// The type relation itself.
expectType<{ w: Tensor<[2, 3]>; b: Tensor<[7, 2]> }>(null as unknown as BatchedAlong<Params, { w: null; b: 0 }, 7>);
expectType<Params>(null as unknown as BatchedAlong<Params, null, 7>);
expectType<{ w: Tensor<[7, 2, 3]>; b: Tensor<[7, 2]> }>(null as unknown as BatchedAlong<Params, 0, 7>);

// Not an axis tree: a string is refused.
expectError(vmap(affine, { inAxes: [{ w: "0", b: 0 }, 0] }));

// Axes inside a tree are exact too (types-ii's rule for plain axes): b mapped along its last axis,
// and the mapped sizes compared across the tree's leaves and the other arguments.
declare const b28: Tensor<[2, 8]>;
declare const x7: Tensor<[7, 3]>;
const lastBias = vmap(affine, { inAxes: [{ w: null, b: -1 }, 0] });
expectType<Tensor<[8, 2]>>(lastBias({ w, b: b28 }, x8));
expectError(lastBias({ w, b: b28 }, x7));
expectError(lastBias({ w, b: b8 }, x8));
