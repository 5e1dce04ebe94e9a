/** @file Control flow as primitives: `cond`, `switchCase`, `scan`, `whileLoop`, `foriLoop`. */
export { cond, switchCase } from "./cond.js";
export type { SwitchResult } from "./cond.js";
export { scan } from "./scan.js";
export type { ScanLength, ScanOptions } from "./scan.js";
export { whileLoop, foriLoop } from "./loops.js";
export type { LengthOf, SameType, ShowTree, SliceOf, Stacked } from "./types.js";
