/**
 * @file Running exported models in ONNX Runtime (onnxruntime-node, on its bundled CPU build) and
 * comparing what comes out with typegrad's own tensors.
 */
import * as ort from "onnxruntime-node";
import { expect } from "vitest";
import type { Tensor } from "../../src/index.js";

type AnyT = Tensor<readonly (number | string)[], "float32" | "float64" | "int32" | "bool">;

/** One output of a run: its dims and elements (bool as 0/1, int64 as numbers). */
export interface OrtValue {
  readonly dims: readonly number[];
  readonly data: ArrayLike<number>;
  readonly type: string;
}

/** An ONNX Runtime tensor holding a typegrad tensor's elements. */
export function toOrt(x: AnyT): ort.Tensor {
  const data = x.data();
  const dims = x.shape as number[];
  if (x.dtype === "bool") return new ort.Tensor("bool", Uint8Array.from(data as Uint8Array), dims);
  return new ort.Tensor(x.dtype, data as Float32Array, dims);
}

/** A loaded model; `run` feeds it by input name. */
export async function load(bytes: Uint8Array): Promise<{ session: ort.InferenceSession; run(feeds: Record<string, ort.Tensor>): Promise<Record<string, OrtValue>> }> {
  // logSeverityLevel 4: runs that must fail (the checkIndices assert) reject without also logging to stderr
  const session = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: "all", intraOpNumThreads: 1, interOpNumThreads: 1, logSeverityLevel: 4 });
  return {
    session,
    async run(feeds) {
      const out = await session.run(feeds);
      const result: Record<string, OrtValue> = {};
      for (const [name, t] of Object.entries(out)) {
        const data = t.type === "int64" ? Array.from(t.data as BigInt64Array, Number) : (t.data as ArrayLike<number>);
        result[name] = { dims: t.dims as number[], data: Array.from(data as ArrayLike<number>, Number), type: t.type };
      }
      return result;
    },
  };
}

/** Tolerances of a float comparison: |got − want| ≤ atol + rtol·|want|. */
export interface Tol {
  readonly rtol: number;
  readonly atol: number;
}

/** Float32 tolerance for one op: a few ulp plus an absolute floor for values near 0. */
export const F32: Tol = { rtol: 1e-5, atol: 1e-6 };

/** Expects an ONNX Runtime output to equal a typegrad tensor: dtype, shape, NaN positions, and values (exact for ints and bools). */
export function expectClose(got: OrtValue, want: AnyT, tol: Tol = F32, what = ""): void {
  const type = want.dtype === "float64" ? "float64" : want.dtype;
  expect(got.type, `${what} type`).toBe(type);
  expect([...got.dims], `${what} shape`).toEqual([...want.shape]);
  const w = Array.from(want.data() as ArrayLike<number>, Number);
  const bad: string[] = [];
  w.forEach((v, i) => {
    const g = got.data[i];
    const ok =
      want.dtype === "int32" || want.dtype === "bool"
        ? g === v
        : Number.isNaN(v)
          ? Number.isNaN(g)
          : !Number.isFinite(v)
            ? g === v
            : Math.abs(g - v) <= tol.atol + tol.rtol * Math.abs(v);
    if (!ok && bad.length < 5) bad.push(`[${i}] onnx ${g} vs typegrad ${v}`);
  });
  expect(bad, `${what} values`).toEqual([]);
}
