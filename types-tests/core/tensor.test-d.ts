import { expectAssignable, expectError, expectType } from "tsd";
import { nn, random, reshape, zeros, type Dim, type DType, type Shape, type Tensor } from "typegrad";

declare const a: Tensor<[4, 8]>;
declare const named: Tensor<["batch", 784]>;
declare const wide: Tensor<[number, 10]>;
declare const unknownRank: Tensor<number[], "int32">;

// `shape` is typed from S: literals stay literal, names and `number` are numbers; it is read-only.
expectType<readonly [4, 8]>(a.shape);
expectType<readonly [number, 784]>(named.shape);
expectType<readonly [number, 10]>(wide.shape);
expectType<readonly number[]>(unknownRank.shape);
const s: readonly [4, 8] = a.shape;
expectError(a.shape.push(3));
expectError(((x: number[]) => x)(a.shape));

// The parameters of a layer keep their exact shapes, as the user wanted to read them.
const params = nn.serial(nn.dense(4, 8), nn.relu).init(random.key(0));
expectType<readonly [4, 8]>(params[0].w.shape);
expectType<readonly [8]>(params[0].b.shape);

// `size` is the element count, a literal when every dim is one; `ndim` is the rank.
expectType<32>(a.size);
expectType<number>(named.size);
expectType<number>(unknownRank.size);
expectType<2>(a.ndim);
expectType<2>(named.ndim);
expectType<number>(unknownRank.ndim);
expectType<Tensor<[]>>(null! as Tensor<[]>);
expectType<1>((null! as Tensor<[]>).size);

// Typing the shape keeps Tensor covariant: a literal shape is still a shape with `number` dims.
expectAssignable<Tensor<[number, 8]>>(a);
expectAssignable<Tensor<Shape, DType>>(a);
expectAssignable<Tensor<[number, number]>>(a);

// A shape read from one tensor makes another: read-only shapes are accepted wherever a shape is.
expectType<Tensor<[4, 8]>>(zeros(a.shape));
expectType<Tensor<[number, 784]>>(zeros(named.shape));
expectType<Tensor<[4, 8]>>(random.normal(random.key(0), a.shape));
expectType<Tensor<[8, 4]>>(reshape(a, [a.shape[1], a.shape[0]]));

// In a function generic over the batch the batch entry is a number, and the rank is known.
function generic<B extends Dim>(x: Tensor<[B, 784]>): number {
  const rows: number = x.shape[0];
  const count: number = x.size;
  expectType<2>(x.ndim);
  expectType<784>(x.shape[1]);
  return rows + count;
}
generic(named);
export { s };
