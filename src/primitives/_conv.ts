/**
 * @file What the three 2-d convolution primitives (`conv2d`, `conv2dBackpropInput`,
 * `conv2dBackpropFilter`) share: checking operands and window params, the sizes their kernels
 * need, and batching by folding a vmapped axis into a dim of the unbatched problem.
 */
import { isFloat } from "../dtype.js";
import { ShapedArray } from "../core/aval.js";
import { DTypeError } from "../core/errors.js";
import * as ops from "../core/ops.js";
import type { AnyTensor } from "../core/ops.js";
import type { BatchDim, ConvWindow } from "../core/primitive.js";
import type { ConvGeometry } from "../backend/js/conv.js";
import { convOutSize } from "../shape/conv.js";
import { ShapeError, showShape } from "../shape/errors.js";
import { moveAxis } from "../transforms/batching.js";

type T = AnyTensor;

// ---- shape rules ----

/** A checker of one primitive's operands that names both of them in every message. */
export function convChecker(name: string, labels: readonly [string, string], [a, b]: readonly ShapedArray[]) {
  const context = `(${labels[0]} is ${showShape(a.shape)}, ${labels[1]} is ${showShape(b.shape)})`;
  const fail = (why: string): never => {
    throw new ShapeError(`${name}: ${why} ${context}`);
  };
  return {
    fail,
    /** Checks dtypes (one float dtype) and ranks (4 each, with the named layouts). */
    operands(layouts: readonly [string, string]): void {
      if (a.dtype !== b.dtype) throw new DTypeError(`${name}: dtypes differ: ${a.dtype} vs ${b.dtype}`);
      if (!isFloat(a.dtype)) throw new DTypeError(`${name}: expected float operands, got ${a.dtype}`);
      [a, b].forEach((x, i) => {
        if (x.ndim !== 4) fail(`${labels[i]} must have rank 4 ${layouts[i]}, got rank ${x.ndim}`);
      });
    },
    /** Checks the window params and returns the output spatial size of `input` under a `kernel`. */
    outSize(window: ConvWindow, input: readonly number[], kernel: readonly number[]): [number, number] {
      const { strides, padding } = window;
      if (strides.length !== 2 || !strides.every((s) => Number.isSafeInteger(s) && s >= 1)) {
        fail(`strides must be 2 integers ≥ 1, got ${JSON.stringify(strides)}`);
      }
      const flat = padding.length === 2 ? padding.flat() : [];
      if (flat.length !== 4 || !flat.every((p) => Number.isSafeInteger(p) && p >= 0)) {
        fail(`padding must be [[lo, hi], [lo, hi]] of integers ≥ 0, got ${JSON.stringify(padding)}`);
      }
      kernel.forEach((k) => {
        if (!Number.isSafeInteger(k) || k < 1) fail(`kernel size must be integers ≥ 1, got ${showShape(kernel)}`);
      });
      try {
        return [0, 1].map((d) => convOutSize(name, input[d], kernel[d], strides[d], padding[d][0], padding[d][1])) as [number, number];
      } catch (e) {
        if (e instanceof ShapeError) throw new ShapeError(`${e.message} ${context}`);
        throw e;
      }
    },
    /** Checks that dim `da` of the first operand equals dim `db` of the second. */
    same(what: string, da: number, db: number): void {
      if (a.shape[da] !== b.shape[db]) fail(`${what} differ: ${a.shape[da]} vs ${b.shape[db]}`);
    },
  };
}

// ---- kernels ----

/** The sizes of a convolution of input `[n, h, w, c]` by filter `[kh, kw, c, o]`. */
export function geometry(input: readonly number[], filter: readonly number[], window: ConvWindow): ConvGeometry {
  const [n, h, w, c] = input;
  const [kh, kw, , o] = filter;
  const { strides, padding } = window;
  const oh = Math.floor((h + padding[0][0] + padding[0][1] - kh) / strides[0]) + 1;
  const ow = Math.floor((w + padding[1][0] + padding[1][1] - kw) / strides[1]) + 1;
  return { n, h, w, c, kh, kw, o, oh, ow, strides, padding };
}

// ---- batching ----

/**
 * Folds the batch axis `from` of `x` into its dim `into` (batch-major: the merged dim indexes
 * `b·size + i`), so the primitive runs once on the larger unbatched problem.
 */
export function foldInto(x: T, from: number, into: number): T {
  const moved = moveAxis(x, from, into);
  const shape = moved.shape.slice();
  shape.splice(into, 2, shape[into] * shape[into + 1]);
  return ops.reshape(moved, shape);
}

/** Splits dim `at` of `y` (batch-major, as `foldInto` merged it) into `[axisSize, rest]`; the batch dim is `at`. */
export function unfold(y: T, at: number, axisSize: number): T {
  const shape = y.shape.slice();
  shape.splice(at, 1, axisSize, axisSize === 0 ? 0 : shape[at] / axisSize);
  return ops.reshape(y, shape);
}

/**
 * Batching by a loop over examples, for when both operands are batched: one application per
 * example, stacked along a new leading axis. `outAval` gives the per-example output (used when
 * the batch is empty).
 */
export function loopVmap(args: T[], dims: BatchDim[], axisSize: number, apply: (a: T, b: T) => T, outAval: () => ShapedArray): [T[], BatchDim[]] {
  if (axisSize === 0) {
    const aval = outAval();
    return [[ops.full([0, ...aval.shape], 0, aval.dtype)], [0]];
  }
  const take = (x: T, dim: BatchDim, b: number): T => {
    if (dim === null) return x;
    const start = x.shape.map((_, i) => (i === dim ? b : 0));
    const limit = x.shape.map((d, i) => (i === dim ? b + 1 : d));
    return ops.reshape(
      ops.slice(x, start, limit),
      x.shape.filter((_, i) => i !== dim),
    );
  };
  const parts = Array.from({ length: axisSize }, (_, b) => {
    const y = apply(take(args[0], dims[0], b), take(args[1], dims[1], b));
    return ops.reshape(y, [1, ...y.shape]);
  });
  return [[parts.length === 1 ? parts[0] : ops.concatenate(parts, 0)], [0]];
}

/** The per-example aval of a batched operand. */
export function unbatched(x: T, dim: BatchDim): ShapedArray {
  return new ShapedArray(
    x.shape.filter((_, i) => i !== dim),
    x.dtype,
  );
}

/** Just the window of a convolution primitive's params (dropping `inputSize` / `kernelSize`). */
export function windowOf(params: ConvWindow): ConvWindow {
  return { strides: params.strides, padding: params.padding };
}
