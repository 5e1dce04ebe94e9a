/**
 * @file Random keys: explicit, splittable state for the counter-based Threefry-2x32 generator.
 * A key is two 32-bit words; `split` and `foldIn` derive new keys by encrypting counters, as
 * JAX's classic threefry implementation does. There is no global state.
 */
import * as ops from "../core/ops.js";
import type { AnyTensor } from "../core/ops.js";
import { product } from "../shape/arith.js";
import { checkCount } from "../dtype.js";
import type { Tensor } from "../core/tensor.js";
import { checkKeyArg, checkSampleShape } from "./checks.js";

type T = AnyTensor;

/**
 * A random key: two int32 words. Pass it explicitly; never reuse one for two purposes.
 * @category Random
 */
export type Key = Tensor<[2], "int32">;

/**
 * A batch of `N` keys, as `split` returns.
 * @category Random
 */
export type Keys<N extends number> = Tensor<[N, 2], "int32">;

/**
 * A key from an integer seed (0 ≤ seed < 2^53): high word `floor(seed / 2^32)`, low word the rest.
 * @example
 * const k = random.key(0);
 * @category Random
 */
export function key(seed: number): Key {
  if (typeof seed !== "number") throw new TypeError(`random.key: seed must be an integer in [0, 2^53), got ${typeof seed} ${JSON.stringify(seed) ?? String(seed)}`);
  if (!Number.isInteger(seed) || seed < 0 || seed > Number.MAX_SAFE_INTEGER) {
    throw new RangeError(`random.key: seed must be an integer in [0, 2^53), got ${seed}`);
  }
  const high = Math.floor(seed / 2 ** 32) | 0;
  const low = seed % 2 ** 32 | 0;
  return ops.fromValues([high, low], [2], "int32") as unknown as Key;
}

/** Threefry-2x32 of a flat list of counters under one key (odd lengths padded with one 0). */
export function threefryCounters(k: T, counters: readonly number[] | Int32Array | T): T {
  const counts =
    counters instanceof Int32Array
      ? ops.fromStorage(counters, [counters.length], "int32")
      : Array.isArray(counters)
        ? ops.fromValues(counters, [counters.length], "int32")
        : (counters as T);
  const n = counts.shape[0];
  const padded = n % 2 === 1 ? ops.concatenate([counts, ops.full([1], 0, "int32")], 0) : counts;
  const half = padded.shape[0] / 2;
  const word = (i: number) => ops.broadcastInDim(ops.reshape(ops.slice(k, [i], [i + 1]), []), [half], []);
  const [y0, y1] = ops.threefry2x32(word(0), word(1), ops.slice(padded, [0], [half]), ops.slice(padded, [half], [2 * half]));
  const out = ops.concatenate([y0, y1], 0);
  return n % 2 === 1 ? ops.slice(out, [0], [n]) : out;
}

/**
 * `num` new keys derived from `key` (default 2), stacked as `[num, 2]`.
 * @example
 * const [k1, k2] = random.splitList(random.key(0));
 * @category Random
 */
export function split<const N extends number = 2>(k: Key, num: N = 2 as N): Keys<N> {
  checkKey(k, "split");
  if (!(Number.isSafeInteger(num) && num >= 0)) throw new RangeError(`random.split: num must be a non-negative integer, got ${num}`);
  const counters = iota("random.split", 2 * num);
  return ops.reshape(threefryCounters(k as unknown as T, counters), [num, 2]) as unknown as Keys<N>;
}

/**
 * `split` returned as a JS array of keys, convenient for destructuring.
 * @category Random
 */
export function splitList(k: Key, num = 2): Key[] {
  const keys = split(k, num) as unknown as T;
  return Array.from({ length: num }, (_, i) => ops.reshape(ops.slice(keys, [i, 0], [i + 1, 2]), [2]) as unknown as Key);
}

/**
 * A new key that mixes `data` (an integer) into `key`: for deriving per-step or per-layer keys.
 * @category Random
 */
export function foldIn(k: Key, data: number): Key {
  checkKey(k, "foldIn");
  if (!Number.isInteger(data)) throw new RangeError(`random.foldIn: data must be an integer, got ${data}`);
  return threefryCounters(k as unknown as T, [Math.floor(data / 2 ** 32) | 0, data % 2 ** 32 | 0]) as unknown as Key;
}

/**
 * `size` 32-bit random words (as int32 bit patterns) under `key`, shaped `shape`.
 * @category Random
 */
export function randomBits(k: Key, shape: readonly number[]): T {
  checkKey(k, "randomBits");
  checkSampleShape("random.randomBits", shape);
  const n = product(shape);
  const counters = iota("random.randomBits", n);
  return ops.reshape(threefryCounters(k as unknown as T, counters), shape);
}

/**
 * The counters `0 … n−1` as int32 storage. A typed array, not a `number[]`: a JS array of a
 * billion numbers exhausts the heap and aborts the process, where a typed array that does not
 * fit fails with a catchable RangeError (and `checkCount` refuses sizes past any tensor first).
 */
function iota(op: string, n: number): Int32Array {
  checkCount(op, n);
  const counters = new Int32Array(n);
  for (let i = 0; i < n; i++) counters[i] = i;
  return counters;
}

function checkKey(k: Key, what: string): void {
  checkKeyArg(`random.${what}`, k);
}
