/** @file Dims and shapes as types: a dim is a number literal, `number` (known at run time) or a symbolic name. */

/** One dimension: a literal size (`784`), `number` (known only at run time) or a name (`"batch"`). */
export type Dim = number | string;

/** A shape: dims outermost first. */
export type Shape = readonly Dim[];
