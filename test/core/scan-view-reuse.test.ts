// A scan whose carry is a slice of xs returns a view of xs's buffer, not a copy. A jit plan
// releases xs's buffer after its last register (the scan) and would hand it to the next result of
// the same size while the returned carry still reads it: scan pins xs (backend/storage-views.ts)
// and the plan's pool never takes a pinned buffer. (Before the pin: 14.2 = 3·4.4 + 1 for 19.36 = 4.4².)
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
