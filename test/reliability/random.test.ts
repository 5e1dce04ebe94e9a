/**
 * @file Reliability corpus of `random`: keys that are not keys, shapes that are not shapes or too
 * large, bad counts, and logits or probabilities that make no distribution, each an error of the
 * exact class whose message names the function the user called (never an op inside it such as
 * `randomBits`, `reshape` or `randint`) and the offending value; a valid call afterwards gives the
 * same samples as before. Categorical logits are checked when a jitted program runs too, and
 * `{ checked: false }` keeps JAX's behaviour.
 */
import { describe, expect, test } from "vitest";
import type { AnyTensor } from "../../src/core/ops.js";
import { DTypeError, ShapeError, jit, random } from "../../src/index.js";
import { tensor, valuesOf } from "../helpers/tensors.js";
import { expectThrown, type ErrorClass } from "./expect-error.js";

type T = AnyTensor;
const any = (x: unknown) => x as never;
const r = random as unknown as Record<string, (...args: unknown[]) => T>;
const key = random.key(0) as unknown as T;
const f32 = (values: number[], shape: number[] = [values.length]) => tensor(values, shape, "float32");

interface Case {
  readonly name: string;
  readonly run: () => unknown;
  readonly error: ErrorClass;
  readonly message: RegExp;
}

const KEY_MESSAGE = "expected a key \\(int32 tensor of shape \\[2\\], from random\\.key or random\\.split\\), got";
const NOT_DISTRIBUTION = "a logit minus the maximum along the axis \\(from a \\+∞ logit, or logits all −∞\\) is NaN";

const CASES: Case[] = [
  // ---- keys ----
  { name: "normal without a key", run: () => r.normal(undefined, [2]), error: TypeError, message: new RegExp(`^random\\.normal: ${KEY_MESSAGE} undefined$`) },
  { name: "uniform with a null key", run: () => r.uniform(null, [2]), error: TypeError, message: new RegExp(`^random\\.uniform: ${KEY_MESSAGE} null$`) },
  { name: "normal with a float32 key", run: () => r.normal(f32([1, 2]), [2]), error: TypeError, message: new RegExp(`^random\\.normal: ${KEY_MESSAGE} a float32\\[2\\] tensor$`) },
  { name: "randint with a key of 3 words", run: () => r.randint(tensor([1, 2, 3], [3], "int32"), [2], 0, 3), error: TypeError, message: new RegExp(`^random\\.randint: ${KEY_MESSAGE} an int32\\[3\\] tensor$`) },
  { name: "split of a number", run: () => r.split(3), error: TypeError, message: new RegExp(`^random\\.split: ${KEY_MESSAGE} number 3$`) },
  { name: "foldIn of an array", run: () => r.foldIn([1, 2], 3), error: TypeError, message: new RegExp(`^random\\.foldIn: ${KEY_MESSAGE} object \\[1,2\\]$`) },
  { name: "categorical without a key", run: () => r.categorical(undefined, f32([0, 1])), error: TypeError, message: new RegExp(`^random\\.categorical: ${KEY_MESSAGE} undefined$`) },
  { name: "permutation with a bool key", run: () => r.permutation(tensor([1, 0], [2], "bool"), 3), error: TypeError, message: new RegExp(`^random\\.permutation: ${KEY_MESSAGE} a bool\\[2\\] tensor$`) },
  { name: "key from a string seed", run: () => r.key("7"), error: TypeError, message: /^random\.key: seed must be an integer in \[0, 2\^53\), got string "7"$/ },

  // ---- shapes ----
  { name: "normal with shape [-1]", run: () => r.normal(key, [-1]), error: ShapeError, message: /^random\.normal: invalid dim -1 in shape \[-1\] \(dims are non-negative integers\)$/ },
  { name: "uniform with shape [2.5]", run: () => r.uniform(key, [2.5]), error: ShapeError, message: /^random\.uniform: invalid dim 2\.5 in shape \[2\.5\]/ },
  { name: "bernoulli with shape [NaN]", run: () => r.bernoulli(key, 0.5, [NaN]), error: ShapeError, message: /^random\.bernoulli: invalid dim NaN in shape \[NaN\]/ },
  { name: "randint with shape [-2]", run: () => r.randint(key, [-2], 0, 3), error: ShapeError, message: /^random\.randint: invalid dim -2 in shape \[-2\]/ },
  { name: "truncatedNormal with shape [3, -1]", run: () => r.truncatedNormal(key, [3, -1]), error: ShapeError, message: /^random\.truncatedNormal: invalid dim -1 in shape \[3, -1\]/ },
  { name: "normal with shape \"a\"", run: () => r.normal(key, "a"), error: TypeError, message: /^random\.normal: shape must be an array of dims, got string "a"$/ },
  { name: "uniform with shape 3", run: () => r.uniform(key, 3), error: TypeError, message: /^random\.uniform: shape must be an array of dims, got number 3$/ },
  { name: "choice with shape [-1]", run: () => r.choice(key, 5, [-1]), error: ShapeError, message: /^random\.choice: invalid dim -1 in shape \[-1\]/ },
  { name: "normal with 10¹⁰ elements", run: () => r.normal(key, [1e5, 1e5]), error: RangeError, message: /^random\.normal: size 10000000000 exceeds the 2147483647 elements a tensor can hold$/ },
  { name: "randomBits with shape [-3]", run: () => r.randomBits(key, [-3]), error: ShapeError, message: /^random\.randomBits: invalid dim -3 in shape \[-3\]/ },

  // ---- counts ----
  { name: "permutation of -3", run: () => r.permutation(key, -3), error: RangeError, message: /^random\.permutation: n must be an integer ≥ 0, got -3$/ },
  { name: "permutation of 2.5", run: () => r.permutation(key, 2.5), error: RangeError, message: /^random\.permutation: n must be an integer ≥ 0, got 2\.5$/ },
  { name: "permutation of \"3\"", run: () => r.permutation(key, "3"), error: TypeError, message: /^random\.permutation: n must be an integer ≥ 0, got string "3"$/ },
  { name: "permutation of 2^31", run: () => r.permutation(key, 2 ** 31), error: RangeError, message: /^random\.permutation: size 2147483648 exceeds/ },
  { name: "choice from 0", run: () => r.choice(key, 0, [2]), error: RangeError, message: /^random\.choice: n must be an integer ≥ 1, got 0$/ },
  { name: "choice from -1", run: () => r.choice(key, -1, [2]), error: RangeError, message: /^random\.choice: n must be an integer ≥ 1, got -1$/ },
  { name: "choice from 2.5", run: () => r.choice(key, 2.5, [2]), error: RangeError, message: /^random\.choice: n must be an integer ≥ 1, got 2\.5$/ },
  { name: "choice of 6 of 5 without replacement", run: () => r.choice(key, 5, [6], { replace: false }), error: RangeError, message: /^random\.choice: cannot take 6 of 5 without replacement$/ },

  // ---- distributions ----
  { name: "categorical with a NaN logit", run: () => r.categorical(key, f32([0, NaN, 1])), error: RangeError, message: /^random\.categorical: logit is NaN at position \[1\]$/ },
  { name: "categorical with a row of only −∞", run: () => r.categorical(key, f32([0, 1, -Infinity, -Infinity], [2, 2])), error: RangeError, message: new RegExp(`^random\\.categorical: ${NOT_DISTRIBUTION} at position \\[1, 0\\]$`) },
  { name: "categorical with a +∞ logit", run: () => r.categorical(key, f32([0, Infinity])), error: RangeError, message: new RegExp(`^random\\.categorical: ${NOT_DISTRIBUTION} at position \\[1\\]$`) },
  { name: "categorical over an empty axis", run: () => r.categorical(key, f32([])), error: ShapeError, message: /^random\.categorical: logits \[0\] have no category along axis -1$/ },
  { name: "categorical of int32 logits", run: () => r.categorical(key, tensor([1, 2], [2], "int32")), error: DTypeError, message: /^random\.categorical: logits must be float32 or float64, got int32$/ },
  { name: "categorical along axis 1.5", run: () => r.categorical(key, f32([1, 2]), 1.5), error: RangeError, message: /^random\.categorical: axis must be an integer, got 1\.5$/ },
  { name: "categorical along axis 1 of a vector", run: () => r.categorical(key, f32([1, 2]), 1), error: RangeError, message: /^random\.categorical: axis 1 out of range for rank 1$/ },
  { name: "categorical with checked \"no\"", run: () => r.categorical(key, f32([1, 2]), -1, { checked: "no" }), error: TypeError, message: /^random\.categorical: options\.checked must be true or false, got string "no"$/ },
  { name: "choice with a negative probability", run: () => r.choice(key, 3, [2], { p: f32([0.5, -0.1, 0.6]) }), error: RangeError, message: /^random\.choice: log p minus its maximum \(from a negative or NaN probability, or all zero\) is NaN at position \[0, 0\]$/ },
  { name: "choice with all probabilities 0", run: () => r.choice(key, 3, [2], { p: f32([0, 0, 0]) }), error: RangeError, message: /^random\.choice: log p minus its maximum .* is NaN at position \[0, 0\]$/ },
  { name: "choice with int32 probabilities", run: () => r.choice(key, 3, [2], { p: tensor([1, 1, 1], [3], "int32") }), error: TypeError, message: /^random\.choice: p must be a float tensor \[n\] of probabilities, got int32\[3\]$/ },
];

/** Samples of the same keys before any case ran: a valid call after each case must reproduce them. */
const reference = {
  normal: valuesOf(r.normal(key, [4])),
  categorical: valuesOf(r.categorical(key, f32([0, -Infinity, 1, 2, 0.5, -1], [2, 3]))),
  permutation: valuesOf(r.permutation(key, 6)),
};

describe("random: bad inputs are typed errors naming the function and the value", () => {
  test.each(CASES)("$name", ({ run, error, message }) => {
    expectThrown(run, error, message);
    expect(valuesOf(r.normal(key, [4]))).toEqual(reference.normal);
    expect(valuesOf(r.categorical(key, f32([0, -Infinity, 1, 2, 0.5, -1], [2, 3])))).toEqual(reference.categorical);
    expect(valuesOf(r.permutation(key, 6))).toEqual(reference.permutation);
  });
});

describe("random.categorical: logits checked when a compiled program runs, and JAX's behaviour unchecked", () => {
  test("inside jit: a NaN logit and a row of only −∞ are reported; valid logits still sample", () => {
    const sample = jit((logits: T) => r.categorical(key, logits));
    expectThrown(() => sample(f32([0, 1, 2, NaN], [2, 2])), RangeError, /^random\.categorical: logit is NaN at position \[1, 1\]$/);
    expectThrown(() => sample(f32([-Infinity, -Infinity, 0, 1], [2, 2])), RangeError, new RegExp(`^random\\.categorical: ${NOT_DISTRIBUTION} at position \\[0, 0\\]$`));
    // −∞ logits that leave a distribution are fine: those classes are never drawn
    const draws = valuesOf(sample(f32([-Infinity, 0, -Infinity, 5, -Infinity, -Infinity], [2, 3])));
    expect(draws).toEqual([1, 0]);
  });

  test("{ checked: false }: the argmax takes the first NaN (or index 0 for a row of only −∞), as in JAX", () => {
    expect(valuesOf(r.categorical(key, f32([0, NaN, 1]), -1, { checked: false }))).toEqual([1]);
    expect(valuesOf(r.categorical(key, f32([-Infinity, -Infinity]), -1, { checked: false }))).toEqual([0]);
  });

  test("choice of an empty shape from 0 gives an empty result", () => {
    expect(r.choice(key, 0, [0]).shape).toEqual([0]);
  });
});
