/**
 * @file Reliability: an out-of-range label or index is a `RangeError` naming the op, the value
 * and its position, in eager code, inside `jit`, under `grad` (and `jit` of `grad`) and under
 * `vmap`, in every op that takes int32 labels or indices (`oneHot`, `softmaxCrossEntropy`,
 * `nn.embedding`, `metrics.accuracy`, `metrics.confusionMatrix`); the process carries on and the
 * next valid call is right; and with `{ checked: false }` the documented JAX-like values come out.
 */
import { describe, expect, test } from "vitest";
import * as core from "../../src/core/ops.js";
import { fit, jit, losses, metrics, nn, oneHot, optim, valueAndGrad, vmap } from "../../src/index.js";
import type { AnyTensor as AnyT } from "../../src/core/ops.js";
import { tensor, valuesOf } from "../helpers/tensors.js";

type T = core.AnyTensor;
const any = (x: unknown) => x as never;
const C = 10;
const B = 4;
const VALID = [1, 2, 3, 0];
const BAD_AT = 2;

/** Logits [B, C] whose row i has its maximum at VALID[i]. */
const xValues = Array.from({ length: B }, (_, i) => Array.from({ length: C }, (_, j) => Math.sin(i * C + j) + (j === VALID[i] ? 3 : 0)));
const x = tensor(xValues.flat(), [B, C], "float32");
const labelsOf = (values: number[]) => tensor(values, [values.length], "int32");
const sum = (t: T) => core.reduceSum(t, t.shape.map((_, i) => i));
const argmaxOf = (row: number[]) => row.indexOf(Math.max(...row));
const lse = (row: number[]) => Math.log(row.reduce((s, v) => s + Math.exp(v), 0));

interface OpCase {
  /** The op's name, as its message starts. */
  readonly op: string;
  /** What the message calls the value. */
  readonly what: string;
  /** A scalar float function of logits `[B, C]` and labels `[B]` that goes through the op. */
  run(x: T, labels: T, checked?: boolean): T;
  /** Its float64 value on `xValues` and in-range `labels`. */
  expected(labels: number[]): number;
}

const weights = tensor(Array.from({ length: C * C }, (_, k) => k), [C, C], "float32");

const OPS: readonly OpCase[] = [
  {
    op: "oneHot",
    what: "label",
    run: (x, l, checked) => sum(core.mul(oneHot(any(l), C, { checked }) as T, x)),
    expected: (l) => l.reduce((s, c, i) => s + xValues[i][c], 0),
  },
  {
    op: "softmaxCrossEntropy",
    what: "label",
    run: (x, l, checked) => losses.softmaxCrossEntropy(any(x), any(l), "mean", { checked }) as T,
    expected: (l) => l.reduce((s, c, i) => s + lse(xValues[i]) - xValues[i][c], 0) / l.length,
  },
  {
    op: `embedding(${C}, ${B})`,
    what: "index",
    // The table is xᵀ, so row c of it is column c of x.
    run: (x, l, checked) => sum(nn.embedding(C, B, { checked }).apply(any({ table: core.transpose(x, [1, 0]) }), any(l)) as T),
    expected: (l) => l.reduce((s, c) => s + xValues.reduce((t, row) => t + row[c], 0), 0),
  },
  {
    op: "accuracy",
    what: "label",
    run: (x, l, checked) => core.add(metrics.accuracy(any(x), any(l), { checked }) as T, core.mul(sum(x), core.full([], 0, "float32"))),
    expected: (l) => l.filter((c, i) => argmaxOf(xValues[i]) === c).length / l.length,
  },
  {
    op: "confusionMatrix",
    what: "label",
    // Σ m[i][j] · (10 i + j) = Σ over examples of 10 · label + prediction.
    run: (x, l, checked) => {
      const m = core.cast(metrics.confusionMatrix(any(x), any(l), C, { checked }) as T, "float32");
      return core.add(sum(core.mul(m, weights)), core.mul(sum(x), core.full([], 0, "float32")));
    },
    expected: (l) => l.reduce((s, c, i) => s + 10 * c + argmaxOf(xValues[i]), 0),
  },
];

const BAD_VALUES = [{ name: "label = C", value: C }, { name: "label = −1", value: -1 }, { name: "label huge", value: 2 ** 31 - 1 }];

/** How a case is run: the function of (x, labels) to call and the position the bad label has there. */
interface Mode {
  readonly name: string;
  call(f: (x: T, l: T) => T, x: T, labels: T): T;
  /** Labels batched? Then `call` gets `[2, B]` labels, the bad one in the second row. */
  readonly batched?: true;
}

const MODES: readonly Mode[] = [
  { name: "eager", call: (f, x, l) => f(x, l) },
  { name: "jit", call: (f, x, l) => jit(f)(x, l) },
  { name: "grad", call: (f, x, l) => valueAndGrad(f)(any(x), any(l))[0] as T },
  { name: "jit of grad", call: (f, x, l) => jit((a: T, b: T) => valueAndGrad(f)(any(a), any(b))[0] as T)(x, l) },
  {
    name: "vmap",
    batched: true,
    call: (f, x, l) => {
      const xs = core.broadcastInDim(x, [2, ...x.shape], [1, 2]);
      return core.reduceSum(vmap(f)(any(xs), any(l)) as T, [0]);
    },
  },
];

describe("out-of-range labels and indices are RangeErrors naming the op, the value and its position", () => {
  for (const opCase of OPS) {
    for (const mode of MODES) {
      for (const bad of BAD_VALUES) {
        test(`${opCase.op}, ${mode.name}, ${bad.name}`, () => {
          const badLabels = VALID.map((c, i) => (i === BAD_AT ? bad.value : c));
          const labels = mode.batched ? tensor([...VALID, ...badLabels], [2, B], "int32") : labelsOf(badLabels);
          const position = mode.batched ? `[1, ${BAD_AT}]` : `[${BAD_AT}]`;
          const f = (a: T, l: T) => opCase.run(a, l);
          let error: unknown;
          try {
            mode.call(f, x, labels);
          } catch (e) {
            error = e;
          }
          expect(error).toBeInstanceOf(RangeError);
          expect((error as Error).message).toBe(`${opCase.op}: ${opCase.what} ${bad.value} at position ${position} is out of range [0, ${C})`);
          // The process carries on: a valid call in the same mode is right.
          const good = mode.batched ? tensor([...VALID, ...VALID], [2, B], "int32") : labelsOf(VALID);
          const [value] = valuesOf(mode.call(f, x, good));
          expect(value).toBeCloseTo(opCase.expected(VALID) * (mode.batched ? 2 : 1), 4);
        });
      }
    }
  }
});

describe("with { checked: false } the results are JAX's", () => {
  const unchecked = labelsOf([1, 2, C, -1]);

  test("oneHot: zero rows", () => {
    for (const f of [(l: T) => oneHot(any(l), 3, { checked: false }) as T, jit((l: T) => oneHot(any(l), 3, { checked: false }) as T)]) {
      expect((f(labelsOf([0, 3, -1, 2])) as unknown as { toArray(): unknown }).toArray()).toEqual([[1, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 1]]);
    }
  });

  test("softmaxCrossEntropy: a loss of 0 and a zero gradient row for such an example", () => {
    const perExample = (a: T) => losses.softmaxCrossEntropy(any(a), any(unchecked), "none", { checked: false }) as T;
    const values = valuesOf(perExample(x));
    expect(values[2] === 0 && values[3] === 0).toBe(true);
    expect(values[0]).toBeCloseTo(lse(xValues[0]) - xValues[0][1], 5);
    const [, g] = valueAndGrad((a: T) => sum(perExample(a)))(any(x));
    const rows = valuesOf(g as T);
    expect(rows.slice(2 * C).every((v) => v === 0)).toBe(true);
    expect(rows.slice(0, C).some((v) => v !== 0)).toBe(true);
  });

  test("nn.embedding: zero vectors", () => {
    const layer = nn.embedding(3, 2, { checked: false });
    const table = tensor([1, 2, 3, 4, 5, 6], [3, 2], "float32");
    expect(valuesOf(layer.apply(any({ table }), any(labelsOf([2, 3, -1]))) as T)).toEqual([5, 6, 0, 0, 0, 0]);
  });

  test("metrics.accuracy: counted as a miss; metrics.confusionMatrix: dropped", () => {
    expect(valuesOf(metrics.accuracy(any(x), any(unchecked), { checked: false }) as T)).toEqual([0.5]);
    const m = jit((a: T, l: T) => metrics.confusionMatrix(any(a), any(l), C, { checked: false }) as T)(x, unchecked);
    expect(valuesOf(sum(m))).toEqual([2]);
    // An int32 prediction out of range is checked too, and dropped when unchecked.
    const preds = labelsOf([1, 2, 3, 11]);
    expect(() => metrics.confusionMatrix(any(preds), any(labelsOf(VALID)), C)).toThrow(new RangeError("confusionMatrix: predicted class 11 at position [3] is out of range [0, 10)"));
    expect(valuesOf(sum(metrics.confusionMatrix(any(preds), any(labelsOf(VALID)), C, { checked: false }) as T))).toEqual([3]);
  });

  test("accuracy given predicted classes refuses only negative labels", () => {
    expect(valuesOf(metrics.accuracy(any(labelsOf([0, 12])), any(labelsOf([0, 12]))) as T)).toEqual([1]);
    expect(() => metrics.accuracy(any(labelsOf([0, 1])), any(labelsOf([0, -3])))).toThrow(new RangeError("accuracy: label -3 at position [1] is out of range [0, Infinity)"));
  });
});

describe("fit reports a bad label with the batch it is in, and the caller's parameters stay intact", () => {
  test("a label out of range in the third batch", () => {
    const w0 = tensor([0.1, -0.2, 0.3, 0.4, -0.5, 0.6], [2, 3]);
    const x = tensor(Array.from({ length: 16 }, (_, i) => (i % 5) / 5), [8, 2]);
    const labels = core.fromValues([0, 1, 2, 0, 1, 7, 2, 0], [8], "int32"); // 7 of 3 classes, in rows 4-5
    const loss = (p: { w: AnyT }, xb: AnyT, yb: AnyT) => losses.softmaxCrossEntropy(core.dotGeneral(xb, p.w, { contract: [[1], [0]], batch: [[], []] }) as never, yb as never);
    let thrown: unknown;
    try {
      fit({ params: { w: w0 }, optimizer: optim.sgd(0.1), loss: loss as never, data: { x, y: labels } as never, epochs: 1, batchSize: 2 });
    } catch (e) {
      thrown = e;
    }
    expect((thrown as Error).constructor).toBe(RangeError);
    expect((thrown as Error).message).toBe("fit: epoch 1, step 3 of 4: softmaxCrossEntropy: label 7 at position [1] is out of range [0, 3)");
    expect(valuesOf(w0)).toEqual([0.1, -0.2, 0.3, 0.4, -0.5, 0.6]);
    // the same data with the label fixed trains
    const fixed = core.fromValues([0, 1, 2, 0, 1, 2, 2, 0], [8], "int32");
    const { history } = fit({ params: { w: w0 }, optimizer: optim.sgd(0.1), loss: loss as never, data: { x, y: fixed } as never, epochs: 1, batchSize: 2 });
    expect(Number.isFinite(history[0].loss)).toBe(true);
  });
});
