/** Each example, run in its reduced form, shows what it claims. */
import { describe, expect, test } from "vitest";
import { run as linearRegression } from "../../examples/01-linear-regression.js";
import { run as bias } from "../../examples/02-bias.js";
import { run as noActivation } from "../../examples/03-no-activation.js";
import { run as universal } from "../../examples/04-universal-approximation.js";
import { run as autodiff } from "../../examples/05-autodiff.js";
import { run as optimizers } from "../../examples/06-optimizers.js";

const quiet = { quick: true, log: () => {} };

describe("examples (reduced)", () => {
  test("01: gradient descent recovers m ≈ 3 and b ≈ 2", async () => {
    const r = await linearRegression(quiet);
    expect(r.m).toBeCloseTo(3, 1);
    expect(r.b).toBeCloseTo(2, 1);
    expect(r.finalLoss).toBeLessThan(0.02);
  });
  test("02: without a bias the fit stays poor; with one it is exact", async () => {
    const r = await bias(quiet);
    expect(r.withoutBias).toBeGreaterThan(8);
    expect(r.withBias).toBeLessThan(1e-6);
  });
  test("03: a linear stack collapses to one matrix and cannot learn XOR; ReLU can", async () => {
    const r = await noActivation(quiet);
    expect(r.collapseGap).toBeLessThan(1e-5);
    expect(r.linearLoss).toBeGreaterThan(0.24);
    expect(r.reluLoss).toBeLessThan(0.01);
  });
  test("04: a wider hidden layer fits better", async () => {
    const [narrow, wide] = await universal(quiet);
    expect(wide.loss).toBeLessThan(narrow.loss / 3);
  });
  test("05: autodiff is exact to rounding; finite differences are not, and cost 2n evaluations", async () => {
    const rows = await autodiff(quiet);
    for (const r of rows) {
      expect(r.autodiffError).toBeLessThan(1e-14);
      expect(r.numericalError).toBeGreaterThan(r.autodiffError);
    }
  });
  test("06: every optimizer brings the loss down; momentum and Adam beat plain SGD", async () => {
    const finals = await optimizers(quiet);
    for (const v of Object.values(finals)) expect(v).toBeLessThan(0.5);
    expect(finals["Adam"]).toBeLessThan(finals["SGD"]);
  });
});

describe("sequence example (reduced: fewer steps)", () => {
  test("09: the scan RNN beats persistence, and its IR is the same size for 10 and 1,000 steps", async () => {
    const { run } = await import("../../examples/09-sequence-scan.js");
    const r = await run({ quick: true, log: () => {}, steps: 60, length: 30 });
    expect(r.irLong).toBe(r.irShort);
    expect(r.testLoss).toBeLessThan(r.baseline / 2);
    expect(r.lstmLoss).toBeLessThan(r.baseline);
  }, 120_000);
});

describe("digit examples (reduced: fewer digits, one epoch)", () => {
  test("07: the MLP learns digits well above chance", async () => {
    const { run } = await import("../../examples/07-mnist-mlp.js");
    const r = await run({ quick: true, log: () => {}, trainSize: 2000, testLimit: 1000, epochs: 1 });
    expect(r.accuracy).toBeGreaterThan(0.85);
  });
  test("08: the CNN learns digits well above chance", async () => {
    const { run } = await import("../../examples/08-mnist-cnn.js");
    const r = await run({ quick: true, log: () => {}, trainSize: 600, testLimit: 500, epochs: 1 });
    expect(r.accuracy).toBeGreaterThan(0.5); // chance is 0.1
  }, 300_000);
});

describe("transformer example (reduced: fewer steps, smaller batches)", () => {
  test("10: the character transformer's loss falls well below the unigram entropy, and it generates names of letters", async () => {
    const { run } = await import("../../examples/10-char-transformer.js");
    const r = await run({ quick: true, log: () => {}, steps: 60, batch: 32 });
    expect(r.baseline).toBeGreaterThan(2.5);
    expect(r.valLoss).toBeLessThan(r.baseline - 0.25);
    expect(r.generated).toHaveLength(10);
    for (const name of r.generated) expect(name).toMatch(/^[a-z]{0,15}$/);
    expect(r.generated.filter((name) => name.length >= 2).length).toBeGreaterThanOrEqual(5);
  }, 120_000);
});
