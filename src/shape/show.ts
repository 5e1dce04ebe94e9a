/** @file Shapes printed as text, twice: `ShowShape<[32, 784]>` is the literal type `"[32, 784]"`, as `showShape([32, 784])` prints at run time. */
import type { Shape } from "./dim.js";

export { showShape } from "./errors.js";

/**
 * A dim as error messages print it: `784`, a name as itself (`batch`), and a dim known only at run
 * time as `number` (the runtime message shows its actual value instead).
 * @category Shape algebra
 */
export type ShowDim<D> = D extends number ? (number extends D ? "number" : `${D}`) : D extends string ? D : "?";

/**
 * A list of dims joined by `, `, no brackets.
 * @category Shape algebra
 */
export type ShowDims<S, Acc extends string = ""> = S extends readonly [infer H, ...infer R]
  ? ShowDims<R, Acc extends "" ? ShowDim<H> : `${Acc}, ${ShowDim<H>}`>
  : S extends readonly []
    ? Acc
    : Acc extends ""
      ? "..."
      : `${Acc}, ...`;

/**
 * A shape as error messages print it: `ShowShape<[32, 784]>` is `"[32, 784]"`; unknown rank prints `[...]`.
 * @category Shape algebra
 */
export type ShowShape<S extends Shape> = `[${ShowDims<S>}]`;

/**
 * A list of axes (or any numbers) printed like a shape: `[0, 2, 1]`.
 * @category Shape algebra
 */
export type ShowList<L> = `[${ShowDims<L>}]`;
