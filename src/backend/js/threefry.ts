/**
 * @file The eager kernel of `threefry2x32`: the Threefry-2x32 block cipher with 20 rounds (Salmon
 * et al., "Parallel random numbers: as easy as 1, 2, 3", SC 2011) on int32 bit patterns.
 */
import { allocate } from "../../dtype.js";
import { ConcreteTensor } from "../../core/concrete.js";

const ROTATIONS = [13, 15, 26, 6, 17, 29, 16, 24];
const PARITY = 0x1bd11bda;

/** Encrypts one counter block; writes the two output words into `y0`, `y1` at `i`. */
function block(k0: number, k1: number, x0: number, x1: number, y0: Int32Array, y1: Int32Array, i: number): void {
  const ks = [k0, k1, (k0 ^ k1 ^ PARITY) | 0];
  x0 = (x0 + ks[0]) | 0;
  x1 = (x1 + ks[1]) | 0;
  for (let group = 0; group < 5; group++) {
    const base = (group % 2) * 4;
    for (let j = 0; j < 4; j++) {
      const r = ROTATIONS[base + j];
      x0 = (x0 + x1) | 0;
      x1 = (x1 << r) | (x1 >>> (32 - r));
      x1 ^= x0;
    }
    x0 = (x0 + ks[(group + 1) % 3]) | 0;
    x1 = (x1 + ks[(group + 2) % 3] + group + 1) | 0;
  }
  y0[i] = x0;
  y1[i] = x1;
}

/** The two encrypted words of counters `(x0, x1)` under keys `(k0, k1)`, elementwise (one shape). */
export function threefryKernel(k0: ConcreteTensor, k1: ConcreteTensor, x0: ConcreteTensor, x1: ConcreteTensor): [ConcreteTensor, ConcreteTensor] {
  const n = x0.storage.length;
  const y0 = allocate("int32", n, false);
  const y1 = allocate("int32", n, false);
  for (let i = 0; i < n; i++) block(k0.storage[i], k1.storage[i], x0.storage[i], x1.storage[i], y0, y1, i);
  return [ConcreteTensor.wrap(y0, x0.shape, "int32"), ConcreteTensor.wrap(y1, x0.shape, "int32")];
}
