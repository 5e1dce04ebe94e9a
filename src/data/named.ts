/**
 * @file Naming the row dim of a dataset once: `nameRows(train, "batch")` types `x` and `y` with the
 * same name for their rows, after checking at run time that they have the same number of rows.
 */
import type { Tensor } from "../core/tensor.js";
import type { DType } from "../dtype.js";
import type { Dim } from "../shape/dim.js";
import { checkRows, type Dataset, type RowsAgree, type WithRows } from "./dataset.js";

/**
 * `data` with the row dim of `x` and `y` named `name` (the same object, retyped), after checking
 * they have the same number of rows: the one line that lets a loss written for
 * `Tensor<["batch", 784]>` and `Tensor<["batch"], "int32">` train on data read from files, whose
 * row count is `number` to the type checker. (`withDims` names every dim of one tensor.)
 * @example
 * declare const images: Tensor<[number, 784]>;
 * declare const labels: Tensor<[number], "int32">;
 * const train = data.nameRows({ x: images, y: labels }, "batch"); // x: Tensor<["batch", 784]>, y: Tensor<["batch"], "int32">
 * @category Data
 */
export function nameRows<X extends Tensor<[Dim, ...Dim[]], DType>, Y extends Tensor<[Dim, ...Dim[]], DType>, const N extends string>(
  data: Dataset<X, Y> & (RowsAgree<"nameRows", X, Y> extends infer E extends string ? { readonly x: E } : unknown),
  name: N,
): Dataset<WithRows<X, N>, WithRows<Y, N>> {
  if (typeof name !== "string") throw new TypeError(`nameRows: the name must be a string, got ${typeof name}`);
  checkRows(data, "nameRows");
  return data as never;
}
