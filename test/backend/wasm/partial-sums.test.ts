/**
 * @file Partial results added in index order in the kernel memory (backend/wasm/partial-sums.ts):
 * the bits of float32 sums taken one array after the other, on one thread and shared.
 */
import { beforeAll, expect, test } from "vitest";
import { addInOrder } from "../../../src/backend/wasm/partial-sums.js";
import { kernelRuntime } from "../../../src/backend/wasm/runtime.js";
import { wasmMatmul } from "../../../src/backend/wasm/matmul.js";
import { uniformFloat32 } from "../../helpers/random-shapes.js";

beforeAll(async () => {
  await wasmMatmul()?.ready();
});

test("count arrays added into the first in index order: float32 sums one array after the other, the same bits on 1 and 2 threads", () => {
  const runtime = kernelRuntime();
  for (const [count, floats, gap] of [[2, 16, 0], [5, 4096, 48], [16, 18432, 16], [3, 64 * 1000, 0]]) {
    const stride = (floats + gap) * 4;
    const parts = Array.from({ length: count }, (_, q) => uniformFloat32(floats, 100 * count + q));
    const expected = Float32Array.from(parts[0]);
    for (let q = 1; q < count; q++) for (let e = 0; e < floats; e++) expected[e] += parts[q][e];
    for (const threads of [1, 2]) {
      const at = runtime.scratch(count * stride);
      parts.forEach((p, q) => runtime.f32.set(p, (at + q * stride) / 4));
      // the bytes past each array stay as they were
      runtime.f32.fill(-7, at / 4 + floats, at / 4 + floats + gap);
      addInOrder(runtime, at, count, stride, floats * 4, threads);
      expect(runtime.f32.subarray(at / 4, at / 4 + floats)).toEqual(expected);
      if (gap > 0) expect(runtime.f32[at / 4 + floats]).toBe(-7);
    }
  }
});
