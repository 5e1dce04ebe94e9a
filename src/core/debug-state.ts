/**
 * @file The state behind the debugging aids: where `debugPrint` writes, and whether every
 * primitive's results are checked for NaN/Inf (`setDebugNans`). It lives in the core with no
 * imports of the transforms, so the eager interpreter (trace.ts) can consult it cheaply.
 */
import type { ConcreteTensor } from "./concrete.js";
import type { Tensor } from "./tensor.js";
import type { DType } from "../dtype.js";

type AnyT = Tensor<readonly (number | string)[], DType>;

/**
 * Receives what `debugPrint` prints: its label, and the values (concrete) as they ran.
 * @category Transforms
 */
export type DebugPrintSink = (label: string, values: readonly AnyT[]) => void;

const defaultSink: DebugPrintSink = (label, values) => {
  // eslint-disable-next-line no-console
  console.log(`${label}: ${values.map((v) => String(v)).join(", ")}`);
};

let sink: DebugPrintSink = defaultSink;

/** Sends one print to the current sink. */
export function emitDebugPrint(label: string, values: readonly AnyT[]): void {
  sink(label, values);
}

/**
 * Replaces where `debugPrint` output goes (e.g. to capture it in a test); `null` restores the
 * default, `console.log` of `label: values`. Returns the previous sink.
 * @category Debugging
 */
export function setDebugPrintSink(next: DebugPrintSink | null): DebugPrintSink {
  const previous = sink;
  sink = next ?? defaultSink;
  return previous;
}

/**
 * The NaN/Inf check around each eagerly executed primitive while `setDebugNans`/`setDebugInfs` or
 * a `jit(f, { debugNans: true })` call is on (installed by transforms/debug-nans.ts; null when
 * off): `run` calls `impl` and inspects what it returns.
 */
export interface NanCheck {
  readonly run: (prim: string, params: unknown, args: readonly ConcreteTensor[], impl: () => ConcreteTensor[]) => ConcreteTensor[];
}

let nanCheck: NanCheck | null = null;

/** The installed check, or null. */
export function currentNanCheck(): NanCheck | null {
  return nanCheck;
}

/** Installs (or with null removes) the check; returns the previous one. */
export function setNanCheck(next: NanCheck | null): NanCheck | null {
  const previous = nanCheck;
  nanCheck = next;
  return previous;
}
