import { expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import type { AnyTensor } from "../../src/core/ops.js";
import { add, jit, mul, scan, sum } from "../../src/index.js";
type T = AnyTensor;
test("a scan carry that is a slice of xs survives the plan reusing xs's buffer", () => {
  const rows = 3, n = 4096;
  const body = (_c: T, x: T): [T, T] => [x, sum(x) as T];
  const f = jit((a: T) => {
    const xs = ops.reshape(ops.mul(a, a), [rows, n]);
    const carry = scan(body, ops.filled([n], 0, "float32"), xs)[0];
    // xs is dead after the scan: a plan may hand its buffer to the next result of its size
    const other = add(mul(a, 3), 1) as T;
    return [carry, other];
  });
  const a = ops.fromValues(Array.from({ length: rows * n }, (_, i) => (i % 97) / 10), [rows * n], "float32");
  const [carry] = f(a) as T[];
  const expected = Array.from(a.data()).slice((rows - 1) * n).map((v) => Math.fround(v * v));
  expect(Array.from(carry.data())).toEqual(expected);
});
