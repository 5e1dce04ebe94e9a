/**
 * @file Training states in one file, and `fit` resumed from one: a run stopped after epoch 2,
 * saved, loaded and resumed ends with parameters bit for bit those of the run never stopped
 * (same shuffles, same dropout masks, same Adam moments and step count).
 */
import { describe, expect, test } from "vitest";
import * as E from "fp-ts/lib/Either.js";
import { fit, io, losses, nn, optim, random, tensor, tree, zeros, type Tensor, type TrainState } from "../../src/index.js";
import type { Key } from "../../src/random/key.js";
import type { AnyTensor } from "../../src/core/ops.js";
import { expectThrown } from "../reliability/expect-error.js";

const model = nn.serial(nn.dense(4, 16), nn.relu, nn.dropout(0.25), nn.dense(16, 3));
type Params = ReturnType<typeof model.init>;
const loss = (p: Params, x: Tensor<[number, 4]>, y: Tensor<[number], "int32">, key: Key) =>
  losses.softmaxCrossEntropy(model.apply(p, x, { training: true, key }), y);

/** Three classes of points in 4-D: a label from the signs of two coordinates. */
function synthetic() {
  const x = random.normal(random.key(7), [60, 4]);
  const v = x.data();
  const labels = Array.from({ length: 60 }, (_, i) => (v[4 * i] > 0 ? (v[4 * i + 1] > 0 ? 2 : 1) : 0));
  return { x: x as Tensor<[number, 4]>, y: tensor(labels, "int32") as Tensor<[number], "int32"> };
}

const bits = (p: unknown) => (tree.leaves(p) as AnyTensor[]).map((t) => Array.from(new Uint8Array(t.data().buffer)));

describe("fit resumed from a saved training state", () => {
  const data = synthetic();
  const optimizer = optim.adam(1e-2);
  const common = { optimizer, loss, data, batchSize: 8, epochs: 4 } as const;
  const params0 = model.init(random.key(1));

  test("after epoch 2, saved to bytes and loaded, it ends bit-identical to the uninterrupted run", () => {
    const saved: Uint8Array[] = [];
    const full = fit({ ...common, params: params0, key: random.key(3), onEpochEnd: (s) => saved.push(io.saveTrainState(s, { run: "a" })) });
    expect(saved).toHaveLength(4);
    expect(full.trainState.epoch).toBe(4);
    expect(full.trainState.step).toBe(4 * Math.floor(60 / 8));

    const loaded = io.loadTrainState(saved[1], { params: model.init(random.key(99)), optState: optimizer.init(params0) });
    if (E.isLeft(loaded)) throw loaded.left;
    expect([loaded.right.epoch, loaded.right.step]).toEqual([2, 14]);
    expect(loaded.right.key!.toArray()).toEqual(random.key(3).toArray());
    const resumed = fit({ ...common, resume: loaded.right });

    expect(resumed.history.map((h) => h.epoch)).toEqual([3, 4]);
    expect(resumed.history.map((h) => h.loss)).toEqual(full.history.slice(2).map((h) => h.loss));
    expect(bits(resumed.params)).toEqual(bits(full.params));
    expect(bits(resumed.state)).toEqual(bits(full.state));
    expect(resumed.trainState.step).toBe(full.trainState.step);
    // The parameters moved: the comparison is not between two untouched copies.
    expect(bits(full.params)).not.toEqual(bits(params0));
  });

  test("without a key (data order, fixed step keys) the resumed run matches too", () => {
    let at2: TrainState<Params, ReturnType<typeof optimizer.init<Params>>> | null = null;
    const full = fit({ ...common, params: params0, onEpochEnd: (s) => void (s.epoch === 2 && (at2 = s)) });
    const bytes = io.saveTrainState(at2!);
    const loaded = io.loadTrainState(bytes, { params: params0, optState: optimizer.init(params0) });
    if (E.isLeft(loaded)) throw loaded.left;
    expect(loaded.right.key).toBeUndefined();
    expect(bits(fit({ ...common, resume: loaded.right }).params)).toEqual(bits(full.params));
  });

  test("resume with params too is refused; a state past the last epoch trains nothing", () => {
    const s = fit({ ...common, epochs: 1, params: params0 }).trainState;
    expectThrown(() => fit({ ...common, resume: s, params: params0 } as never), TypeError, /fit: resume brings its own params/);
    expectThrown(() => fit({ ...common, resume: { ...s, epoch: -1 } }), RangeError, /fit: resume\.epoch must be a non-negative integer, got -1/);
    const r = fit({ ...common, epochs: 1, resume: s });
    expect(r.history).toEqual([]);
    expect(r.params).toBe(s.params);
  });
});

describe("the training-state file", () => {
  const params = { w: zeros([2, 2]), b: zeros([2]) };
  const opt = optim.adam(1e-3);
  const state = { params, optState: opt.init(params), key: random.key(5), epoch: 3, step: 2 ** 40 };

  test("names: params.…, optState.…, key; counts in the metadata, exact past 2^31", () => {
    const bytes = io.saveTrainState(state, { note: "hi" });
    const contents = io.readSafetensors(bytes);
    expect(E.isRight(contents) && [...contents.right.tensors.keys()].sort()).toEqual([
      "key",
      "optState.0.count",
      "optState.0.mu.b",
      "optState.0.mu.w",
      "optState.0.nu.b",
      "optState.0.nu.w",
      "optState.1.count",
      "params.b",
      "params.w",
    ]);
    expect(E.isRight(contents) && { ...contents.right.metadata }).toEqual({ note: "hi", "typegrad.kind": "trainState/1", "typegrad.epoch": "3", "typegrad.step": "1099511627776" });
    const back = io.loadTrainState(bytes, { params, optState: opt.init(params) });
    expect(E.isRight(back) && back.right.step).toBe(2 ** 40);
  });

  test("a plain parameter file, damaged counts, a mismatched optimizer: Lefts", () => {
    const msg = (bytes: Uint8Array, like = { params, optState: opt.init(params) }) => {
      const r = io.loadTrainState(bytes, like as never);
      return E.isLeft(r) ? r.left.message : "accepted";
    };
    expect(msg(io.saveSafetensors(params))).toBe('io.loadTrainState: not a typegrad training state (no metadata "typegrad.kind"; expected "trainState/1")');
    const forged = io.saveSafetensors({ params, optState: opt.init(params) }, { "typegrad.kind": "trainState/1", "typegrad.epoch": "2.5", "typegrad.step": "1" });
    expect(msg(forged)).toBe('io.loadTrainState: metadata "typegrad.epoch" must be a whole number, got "2.5"');
    const sgd = optim.sgd(0.1);
    expect(msg(io.saveTrainState(state), { params, optState: sgd.init(params) } as never)).toMatch(
      /^io\.loadTrainState: 5 mismatches: optState\.0\.mu\.b: in the file \(F32 \[2\]\) but not in the model; .*; optState\.1\.count: in the file \(I32 \[\]\) but not in the model$/,
    );
  });

  test("reserved metadata keys and bad counts throw", () => {
    expectThrown(() => io.saveTrainState(state, { "typegrad.step": "1" }), TypeError, /metadata key "typegrad\.step" is reserved/);
    expectThrown(() => io.saveTrainState({ ...state, step: 1.5 }), RangeError, /io\.saveTrainState: step must be a whole number, got 1\.5/);
  });
});
