/**
 * @file Reliability: optimizer and schedule hyperparameters are checked when the optimizer is
 * built, so a NaN, an infinite or out-of-range value, or a value of the wrong kind fails at once,
 * naming the optimizer, the parameter and the value (instead of NaN parameters many steps later).
 */
import { describe, expect, test } from "vitest";
import { expectThrown } from "./expect-error.js";
import * as ops from "../../src/core/ops.js";
import type { AnyTensor } from "../../src/core/ops.js";
import { optim } from "../../src/index.js";

type T = AnyTensor;
type Case = { name: string; run: () => unknown; error: ErrorConstructor; message: RegExp };
const any = (x: unknown) => x as never;

// Each case: the constructor call, the error class, and a message naming the op, the parameter and the value.
const cases: Case[] = [
  { name: "adam(NaN)", run: () => optim.adam(NaN), error: RangeError, message: /^adam: learning rate .*got NaN$/ },
  { name: "adam(Infinity)", run: () => optim.adam(Infinity), error: RangeError, message: /^adam: learning rate .*got Infinity$/ },
  { name: "adam(-1e-3)", run: () => optim.adam(-1e-3), error: RangeError, message: /^adam: learning rate .*≥ 0.*got -0\.001$/ },
  { name: "adam('0.1')", run: () => optim.adam(any("0.1")), error: TypeError, message: /^adam: learning rate .*schedule function, got string "0\.1"$/ },
  { name: "adam b1 = 1", run: () => optim.adam(1e-3, 1), error: RangeError, message: /^adam: b1 must be a number in \[0, 1\), got 1$/ },
  { name: "adam b1 = 1.5", run: () => optim.adam(1e-3, 1.5), error: RangeError, message: /^adam: b1 .*got 1\.5$/ },
  { name: "adam b1 < 0", run: () => optim.adam(1e-3, -0.1), error: RangeError, message: /^adam: b1 .*got -0\.1$/ },
  { name: "adam b1 NaN", run: () => optim.adam(1e-3, NaN), error: RangeError, message: /^adam: b1 .*got NaN$/ },
  { name: "adam b2 < 0", run: () => optim.adam(1e-3, 0.9, -0.5), error: RangeError, message: /^adam: b2 .*got -0\.5$/ },
  { name: "adam b2 = 1", run: () => optim.adam(1e-3, 0.9, 1), error: RangeError, message: /^adam: b2 .*\[0, 1\), got 1$/ },
  { name: "adam eps = 0", run: () => optim.adam(1e-3, 0.9, 0.999, 0), error: RangeError, message: /^adam: eps must be a finite number in \(0, ∞\), got 0$/ },
  { name: "adam eps < 0", run: () => optim.adam(1e-3, 0.9, 0.999, -1e-8), error: RangeError, message: /^adam: eps .*got -1e-8$/ },
  { name: "adam eps Infinity", run: () => optim.adam(1e-3, 0.9, 0.999, Infinity), error: RangeError, message: /^adam: eps .*got Infinity$/ },
  { name: "adam b1 string", run: () => optim.adam(1e-3, any("0.9")), error: TypeError, message: /^adam: b1 .*got string "0\.9"$/ },
  { name: "adamw weightDecay < 0", run: () => optim.adamw(1e-3, 0.9, 0.999, 1e-8, -0.01), error: RangeError, message: /^adamw: weightDecay .*got -0\.01$/ },
  { name: "adamw b2 NaN", run: () => optim.adamw(1e-3, 0.9, NaN), error: RangeError, message: /^adamw: b2 .*got NaN$/ },
  { name: "adamw lr NaN", run: () => optim.adamw(NaN), error: RangeError, message: /^adamw: learning rate .*got NaN$/ },
  { name: "sgd(NaN)", run: () => optim.sgd(NaN), error: RangeError, message: /^sgd: learning rate .*got NaN$/ },
  { name: "sgd(-0.1)", run: () => optim.sgd(-0.1), error: RangeError, message: /^sgd: learning rate .*got -0\.1$/ },
  { name: "sgd(null)", run: () => optim.sgd(any(null)), error: TypeError, message: /^sgd: learning rate .*got object null$/ },
  { name: "sgd momentum NaN", run: () => optim.sgd(0.1, { momentum: NaN }), error: RangeError, message: /^sgd: momentum .*got NaN$/ },
  { name: "sgd momentum 1", run: () => optim.sgd(0.1, { momentum: 1 }), error: RangeError, message: /^sgd: momentum must be a number in \[0, 1\), got 1$/ },
  { name: "sgd momentum -0.5", run: () => optim.sgd(0.1, { momentum: -0.5 }), error: RangeError, message: /^sgd: momentum .*got -0\.5$/ },
  { name: "sgd momentum missing", run: () => optim.sgd(0.1, any({ nesterov: true })), error: TypeError, message: /^sgd: momentum .*got undefined undefined$/ },
  { name: "sgd nesterov string", run: () => optim.sgd(0.1, any({ momentum: 0.9, nesterov: "yes" })), error: TypeError, message: /^sgd: nesterov must be true or false, got string "yes"$/ },
  { name: "sgd options not an object", run: () => optim.sgd(0.1, any(0.9)), error: TypeError, message: /^sgd: options must be an options object, got 0\.9$/ },
  { name: "momentum beta NaN", run: () => optim.momentum(0.1, NaN), error: RangeError, message: /^momentum: beta .*got NaN$/ },
  { name: "momentum beta 1", run: () => optim.momentum(0.1, 1), error: RangeError, message: /^momentum: beta .*got 1$/ },
  { name: "momentum lr Infinity", run: () => optim.momentum(Infinity), error: RangeError, message: /^momentum: learning rate .*got Infinity$/ },
  { name: "nesterov beta 2", run: () => optim.nesterov(0.1, 2), error: RangeError, message: /^nesterov: beta .*got 2$/ },
  { name: "nesterov lr string", run: () => optim.nesterov(any("fast")), error: TypeError, message: /^nesterov: learning rate .*got string "fast"$/ },
  { name: "rmsprop decay 1", run: () => optim.rmsprop(0.01, 1), error: RangeError, message: /^rmsprop: decay .*got 1$/ },
  { name: "rmsprop eps 0", run: () => optim.rmsprop(0.01, 0.9, 0), error: RangeError, message: /^rmsprop: eps .*got 0$/ },
  { name: "rmsprop lr NaN", run: () => optim.rmsprop(NaN), error: RangeError, message: /^rmsprop: learning rate .*got NaN$/ },
  { name: "adagrad initialAccumulator < 0", run: () => optim.adagrad(0.1, -1), error: RangeError, message: /^adagrad: initialAccumulator .*got -1$/ },
  { name: "adagrad eps NaN", run: () => optim.adagrad(0.1, 0.1, NaN), error: RangeError, message: /^adagrad: eps .*got NaN$/ },
  { name: "adagrad lr -1", run: () => optim.adagrad(-1), error: RangeError, message: /^adagrad: learning rate .*got -1$/ },
  { name: "scaleByLearningRate NaN", run: () => optim.scaleByLearningRate(NaN), error: RangeError, message: /^scaleByLearningRate: learning rate .*got NaN$/ },
  { name: "scaleByAdam b1 1", run: () => optim.scaleByAdam(1), error: RangeError, message: /^scaleByAdam: b1 .*got 1$/ },
  { name: "scaleByRms decay NaN", run: () => optim.scaleByRms(NaN), error: RangeError, message: /^scaleByRms: decay .*got NaN$/ },
  { name: "scaleByRss eps -1", run: () => optim.scaleByRss(0.1, -1), error: RangeError, message: /^scaleByRss: eps .*got -1$/ },
  { name: "traceMomentum beta -1", run: () => optim.traceMomentum(-1), error: RangeError, message: /^traceMomentum: beta .*got -1$/ },
  { name: "traceMomentum nesterov 1", run: () => optim.traceMomentum(0.9, any(1)), error: TypeError, message: /^traceMomentum: nesterov .*got number 1$/ },
  { name: "clipByGlobalNorm 0", run: () => optim.clipByGlobalNorm(0), error: RangeError, message: /^clipByGlobalNorm: maxNorm .*got 0$/ },
  { name: "clipByGlobalNorm NaN", run: () => optim.clipByGlobalNorm(NaN), error: RangeError, message: /^clipByGlobalNorm: maxNorm .*got NaN$/ },
  { name: "clipByGlobalNorm Infinity", run: () => optim.clipByGlobalNorm(Infinity), error: RangeError, message: /^clipByGlobalNorm: maxNorm .*got Infinity$/ },
  { name: "clipByGlobalNorm string", run: () => optim.clipByGlobalNorm(any("1")), error: TypeError, message: /^clipByGlobalNorm: maxNorm .*got string "1"$/ },
  { name: "addDecayedWeights NaN", run: () => optim.addDecayedWeights(NaN), error: RangeError, message: /^addDecayedWeights: weightDecay .*got NaN$/ },
  { name: "addDecayedWeights -1", run: () => optim.addDecayedWeights(-1), error: RangeError, message: /^addDecayedWeights: weightDecay .*got -1$/ },
  { name: "constantSchedule NaN", run: () => optim.constantSchedule(NaN), error: RangeError, message: /^constantSchedule: value .*got NaN$/ },
  { name: "exponentialDecay rate 0", run: () => optim.exponentialDecay(0.1, 0, 10), error: RangeError, message: /^exponentialDecay: rate .*got 0$/ },
  { name: "exponentialDecay steps NaN", run: () => optim.exponentialDecay(0.1, 0.5, NaN), error: RangeError, message: /^exponentialDecay: transitionSteps .*got NaN$/ },
  { name: "stepDecay boundary NaN", run: () => optim.stepDecay(0.1, 0.5, [10, NaN]), error: RangeError, message: /^stepDecay: boundaries\[1\] .*got NaN$/ },
  { name: "cosineDecay init Infinity", run: () => optim.cosineDecay(Infinity, 100), error: RangeError, message: /^cosineDecay: init .*got Infinity$/ },
  { name: "linearWarmup after not a function", run: () => optim.linearWarmup(0.1, 10, any(0.5)), error: TypeError, message: /^linearWarmup: after .*got number 0\.5$/ },
];

describe("optimizer hyperparameters are checked at construction", () => {
  test.each(cases)("$name", ({ run, error, message }) => {
    expectThrown(run, error, message);
  });
});

describe("valid optimizers still give the right answers", () => {
  const f64 = (v: number[]) => ops.fromValues(v, [v.length], "float64");
  const step = (opt: optim.GradientTransformation<optim.StateFn>, w: number[], g: number[]) => {
    const params = { w: f64(w) };
    const [updates] = opt.update({ w: f64(g) }, opt.init(params), params);
    return Array.from((optim.applyUpdates(params, updates).w as T).data());
  };

  test("adam's first step moves each weight by lr·sign(g) (bias correction), edge values of b1, b2 accepted", () => {
    const got = step(optim.adam(0.1), [1, 2], [0.5, -3]);
    expect(got[0]).toBeCloseTo(0.9, 6);
    expect(got[1]).toBeCloseTo(2.1, 6);
    const zeroBetas = step(optim.adam(0.1, 0, 0), [1, 2], [0.5, -3]);
    expect(zeroBetas[0]).toBeCloseTo(0.9, 6);
  });

  test("a zero learning rate and zero momentum are allowed", () => {
    expect(step(optim.sgd(0), [1, 2], [5, 5])).toEqual([1, 2]);
    expect(step(optim.sgd(0.5, { momentum: 0 }), [1, 2], [2, 4])).toEqual([0, 0]);
  });

  test("a schedule as learning rate still works (sgd, adam, nesterov)", () => {
    expect(step(optim.sgd(optim.constantSchedule(0.5)), [1, 2], [2, 4])).toEqual([0, 0]);
    expect(step(optim.sgd(optim.exponentialDecay(0.25, 0.5, 1)), [1], [4])).toEqual([0]);
    const got = step(optim.adam(optim.cosineDecay(0.1, 100)), [1], [3]);
    expect(got[0]).toBeCloseTo(0.9, 6);
    // nesterov, first step: v = g, update = g + β·v = 1.9·g
    expect(step(optim.nesterov(optim.constantSchedule(1)), [1], [1])[0]).toBeCloseTo(1 - 1.9, 12);
  });

  test("clipByGlobalNorm and weight decay with valid values", () => {
    const clipped = step(optim.chain(optim.clipByGlobalNorm(1), optim.scaleByLearningRate(1)), [0, 0], [3, 4]);
    expect(clipped[0]).toBeCloseTo(-0.6, 12);
    expect(clipped[1]).toBeCloseTo(-0.8, 12);
    expect(step(optim.chain(optim.addDecayedWeights(0.5), optim.scaleByLearningRate(1)), [2], [0])).toEqual([1]);
  });
});
