/**
 * @file Reliability: losses give finite values wherever their gradients are finite (softmax
 * cross-entropy with −∞ logits), and reject an unknown reduction, a bad Huber δ or an
 * out-of-range label instead of silently computing something else.
 */
import { describe, expect, test } from "vitest";
import { expectThrown } from "./expect-error.js";
import type { AnyTensor } from "../../src/core/ops.js";
import { grad, jit, losses } from "../../src/index.js";
import { checkGradAlong } from "../helpers/gradcheck.js";
import { tensor, valuesOf } from "../helpers/tensors.js";

type T = AnyTensor;
type Case = { name: string; run: () => unknown; error: ErrorConstructor; message: RegExp };
const any = (x: unknown) => x as never;
const NEG = -Infinity;

// ---- a plain float64 reference ----

/** −Σ_j t_j · log softmax(x)_j per row, skipping classes with t_j = 0 (their limit is 0). */
function referenceLoss(logits: number[][], targets: number[][]): number[] {
  return logits.map((row, r) => {
    const m = Math.max(...row);
    const lse = m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
    return -row.reduce((s, v, j) => (targets[r][j] === 0 ? s : s + targets[r][j] * (v - lse)), 0);
  });
}

/** d(mean loss)/dx = (softmax(x) · Σt − t) / rows. */
function referenceGrad(logits: number[][], targets: number[][]): number[] {
  return logits.flatMap((row, r) => {
    const m = Math.max(...row);
    const e = row.map((v) => Math.exp(v - m));
    const z = e.reduce((a, b) => a + b, 0);
    const mass = targets[r].reduce((a, b) => a + b, 0);
    return e.map((v, j) => ((v / z) * mass - targets[r][j]) / logits.length);
  });
}

const oneHotRows = (labels: number[], c: number) => labels.map((l) => Array.from({ length: c }, (_, j) => (j === l ? 1 : 0)));

describe("softmaxCrossEntropy with −∞ logits: value and gradient agree and are finite", () => {
  const rows = [
    [1, NEG, 2],
    [0.5, 3, NEG],
    [NEG, NEG, -1],
  ];
  const labels = [0, 1, 2];
  const probs = [
    [0.25, 0, 0.75],
    [0.5, 0.5, 0],
    [0, 0, 1],
  ];
  const x = tensor(rows.flat(), [3, 3]);

  const forms = [
    { form: "integer labels", targets: tensor(labels, [3], "int32"), dense: oneHotRows(labels, 3) },
    { form: "one-hot targets", targets: tensor(oneHotRows(labels, 3).flat(), [3, 3]), dense: oneHotRows(labels, 3) },
    { form: "probability targets", targets: tensor(probs.flat(), [3, 3]), dense: probs },
  ];

  test.each(forms)("$form: per-row values match float64", ({ targets, dense }) => {
    const got = valuesOf(losses.softmaxCrossEntropy(any(x), any(targets), "none") as unknown as T);
    const want = referenceLoss(rows, dense);
    got.forEach((v, i) => {
      expect(Number.isFinite(v)).toBe(true);
      expect(v).toBeCloseTo(want[i], 12);
    });
    const jitted = jit((a: T, b: T) => losses.softmaxCrossEntropy(any(a), any(b), "none"));
    expect(valuesOf(jitted(x, targets) as unknown as T)).toEqual(got);
  });

  test.each(forms)("$form: mean loss finite, gradient finite, equal to softmax − target and to finite differences", ({ targets, dense }) => {
    const loss = (a: T) => losses.softmaxCrossEntropy(any(a), any(targets)) as unknown as T;
    const mean = (loss(x) as T).item() as number;
    expect(mean).toBeCloseTo(referenceLoss(rows, dense).reduce((a, b) => a + b) / 3, 12);
    const g = grad(loss as never)(any(x)) as unknown as T;
    const gv = valuesOf(g);
    const want = referenceGrad(rows, dense);
    gv.forEach((v, i) => {
      expect(Number.isFinite(v)).toBe(true);
      expect(v).toBeCloseTo(want[i], 12);
    });
    // Finite differences along directions that leave the −∞ logits in place (they cannot move).
    for (const seed of [1, 2, 3]) {
      const dir = tensor(rows.flat().map((v, i) => (v === NEG ? 0 : Math.sin(seed * (i + 1)))), [3, 3]);
      checkGradAlong(loss, [x], [g], [dir]);
    }
  });

  test.each(forms.slice(0, 2))("$form: a row whose target logit is −∞ costs +∞, not NaN", ({ targets }) => {
    const bad = tensor([NEG, 1, 2, 0, NEG, 1, 1, 2, 3], [3, 3]);
    const got = valuesOf(losses.softmaxCrossEntropy(any(bad), any(targets), "none") as unknown as T);
    expect(got[0]).toBe(Infinity);
    expect(got[1]).toBe(Infinity);
    expect(got[2]).toBeCloseTo(referenceLoss([[1, 2, 3]], [[0, 0, 1]])[0], 12);
    expect((losses.softmaxCrossEntropy(any(bad), any(targets)) as unknown as T).item()).toBe(Infinity);
  });
});

// ---- argument checks ----

const p = tensor([1, 2, 5], [3]);
const t = tensor([0, 2, 2], [3]);
const logits = tensor([1, 2, 3, 4, 5, 6], [2, 3]);
const labels = tensor([0, 2], [2], "int32");
const names = /"mean", "sum", "none"/;

const cases: Case[] = [
  { name: "mse 'avg'", run: () => losses.mse(any(p), any(t), any("avg")), error: RangeError, message: /^mse: reduction must be one of "mean", "sum", "none", got "avg"$/ },
  { name: "mse 'Mean'", run: () => losses.mse(any(p), any(t), any("Mean")), error: RangeError, message: /^mse: reduction .*got "Mean"$/ },
  { name: "mse 0", run: () => losses.mse(any(p), any(t), any(0)), error: TypeError, message: /^mse: reduction .*got number 0$/ },
  { name: "mse null", run: () => losses.mse(any(p), any(t), any(null)), error: TypeError, message: /^mse: reduction .*got object null$/ },
  { name: "mae 'mean '", run: () => losses.mae(any(p), any(t), any("mean ")), error: RangeError, message: /^mae: reduction .*got "mean "$/ },
  { name: "huber 'sum2'", run: () => losses.huber(any(p), any(t), 1, any("sum2")), error: RangeError, message: /^huber: reduction .*got "sum2"$/ },
  { name: "huber reduction as delta", run: () => losses.huber(any(p), any(t), any("sum")), error: TypeError, message: /^huber: delta .*got string "sum"$/ },
  { name: "huber delta 0", run: () => losses.huber(any(p), any(t), 0), error: RangeError, message: /^huber: delta .*got 0$/ },
  { name: "huber delta NaN", run: () => losses.huber(any(p), any(t), NaN), error: RangeError, message: /^huber: delta .*got NaN$/ },
  { name: "binaryCrossEntropy 'batchmean'", run: () => losses.binaryCrossEntropy(any(p), any(t), any("batchmean")), error: RangeError, message: /^binaryCrossEntropy: reduction .*got "batchmean"$/ },
  { name: "softmaxCrossEntropy 'avg'", run: () => losses.softmaxCrossEntropy(any(logits), any(labels), any("avg")), error: RangeError, message: /^softmaxCrossEntropy: reduction .*got "avg"$/ },
  { name: "softmaxCrossEntropy label 3 of 3 classes", run: () => losses.softmaxCrossEntropy(any(logits), any(tensor([0, 3], [2], "int32"))), error: RangeError, message: /^softmaxCrossEntropy: label 3 at position \[1\] is out of range \[0, 3\)$/ },
  { name: "softmaxCrossEntropy label -1", run: () => losses.softmaxCrossEntropy(any(logits), any(tensor([-1, 0], [2], "int32"))), error: RangeError, message: /^softmaxCrossEntropy: label -1 at position \[0\] is out of range \[0, 3\)$/ },
];

describe("losses reject an unknown reduction and bad arguments", () => {
  test.each(cases)("$name", ({ run, error, message }) => {
    const thrown = expectThrown(run, error, message);
    if (/reduction/.test(thrown.message)) expect(thrown.message).toMatch(names);
  });

  test("valid reductions still give the right answers afterwards", () => {
    expect((losses.mse(any(p), any(t)) as unknown as T).item()).toBeCloseTo(10 / 3, 12);
    expect((losses.mse(any(p), any(t), "sum") as unknown as T).item()).toBeCloseTo(10, 12);
    expect(valuesOf(losses.huber(any(p), any(t), 1, "none") as unknown as T)).toEqual([0.5, 0, 2.5]);
    const want = referenceLoss([[1, 2, 3], [4, 5, 6]], oneHotRows([0, 2], 3));
    expect((losses.softmaxCrossEntropy(any(logits), any(labels), "sum") as unknown as T).item()).toBeCloseTo(want[0] + want[1], 12);
  });
});
