/**
 * @file Data augmentation for the digit examples (07, 08 and the web page): a model that has also
 * seen each digit moved by a pixel generalizes better, an MLP most of all, since nothing in it
 * knows which pixels are neighbours.
 */
import { concat, pad, reshape, slice, type Tensor } from "../../src/index.js";

/** The images plus copies shifted by one pixel in each of four directions (zeros move in). */
export function withShifts(x: Tensor<[number, 784]>, y: Tensor<[number], "int32">) {
  const n = x.shape[0];
  const images = reshape(x, [n, 28, 28]);
  const padded = pad(images, [[0, 0], [1, 1], [1, 1]]);
  const shifts: [number, number][] = [[1, 0], [-1, 0], [0, 1], [0, -1]];
  const moved = shifts.map(([dy, dx]) => reshape(slice(padded, [null, [1 - dy, 29 - dy], [1 - dx, 29 - dx]]), [n, 784]));
  return { x: concat([x, ...moved], 0), y: concat([y, y, y, y, y], 0) };
}
