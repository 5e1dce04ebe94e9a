/**
 * @file A drawing made MNIST-like. The MNIST digits were scaled so that their bounding box fits a
 * 20×20 square (aspect kept), then placed in the 28×28 image with their centre of mass at the
 * centre; a model trained on them sees a digit drawn anywhere and at any size only after the
 * same treatment. Pure functions over arrays, so that they are tested without a browser.
 */

/** Ink below this level is paper, for the bounding box (antialiased edges are faint). */
const INK = 0.05;
/** The MNIST box and image sizes. */
const BOX = 20;
const SIDE = 28;

/**
 * The 28×28 MNIST-style image (row-major, values in [0, 1]) of a `width`×`height` grayscale
 * drawing (`ink[y * width + x]` in [0, 1], 1 is ink), or `null` when nothing is drawn. Each output
 * pixel is the mean ink over the square of the drawing it covers, exactly (a summed-area table),
 * so thin strokes keep their weight at any scale.
 */
export function toMnist(ink: ArrayLike<number>, width: number, height: number): Float32Array | null {
  if (ink.length !== width * height) throw new RangeError(`toMnist: ${ink.length} values for a ${width}×${height} drawing`);
  const box = inkBox(ink, width, height);
  if (box === null) return null;
  const scale = BOX / Math.max(box.right - box.left, box.bottom - box.top);
  const table = summedArea(ink, width, height);
  const { cx, cy } = centreOfMass(table, width, height);
  // Output pixel (i, j) covers drawing x in [cx + (j - 14) / scale, cx + (j + 1 - 14) / scale).
  const out = new Float32Array(SIDE * SIDE);
  const step = 1 / scale;
  for (let i = 0; i < SIDE; i++) {
    const y0 = cy + (i - SIDE / 2) * step;
    for (let j = 0; j < SIDE; j++) {
      const x0 = cx + (j - SIDE / 2) * step;
      const mass = areaSum(table, width, height, x0, y0, x0 + step, y0 + step);
      out[i * SIDE + j] = Math.min(1, mass * scale * scale);
    }
  }
  return out;
}

interface Box {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

/** The smallest box (pixel edges) holding every pixel with ink, or `null` for a blank drawing. */
function inkBox(ink: ArrayLike<number>, width: number, height: number): Box | null {
  let left = width;
  let top = height;
  let right = 0;
  let bottom = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink[y * width + x] > INK) {
        left = Math.min(left, x);
        right = Math.max(right, x + 1);
        top = Math.min(top, y);
        bottom = Math.max(bottom, y + 1);
      }
    }
  }
  return right > left ? { left, top, right, bottom } : null;
}

/** `t[y * (width + 1) + x]` = ink in [0, x) × [0, y): any rectangle's sum from four entries. */
function summedArea(ink: ArrayLike<number>, width: number, height: number): Float64Array {
  const w1 = width + 1;
  const t = new Float64Array(w1 * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      row += Math.min(1, Math.max(0, ink[y * width + x]));
      t[(y + 1) * w1 + x + 1] = t[y * w1 + x + 1] + row;
    }
  }
  return t;
}

/** The ink in [0, x) × [0, y) for real x, y: the table is bilinear inside each pixel, so interpolating it is exact. */
function inkBefore(t: Float64Array, width: number, height: number, x: number, y: number): number {
  const cx = Math.min(Math.max(x, 0), width);
  const cy = Math.min(Math.max(y, 0), height);
  const x0 = Math.min(Math.floor(cx), width - 1);
  const y0 = Math.min(Math.floor(cy), height - 1);
  const fx = cx - x0;
  const fy = cy - y0;
  const w1 = width + 1;
  const at = (xx: number, yy: number) => t[yy * w1 + xx];
  return (
    at(x0, y0) * (1 - fx) * (1 - fy) + at(x0 + 1, y0) * fx * (1 - fy) + at(x0, y0 + 1) * (1 - fx) * fy + at(x0 + 1, y0 + 1) * fx * fy
  );
}

/** The ink in [x0, x1) × [y0, y1); outside the drawing there is none. */
function areaSum(t: Float64Array, width: number, height: number, x0: number, y0: number, x1: number, y1: number): number {
  const f = (x: number, y: number) => inkBefore(t, width, height, x, y);
  return Math.max(0, f(x1, y1) - f(x0, y1) - f(x1, y0) + f(x0, y0));
}

/** The centre of mass of the ink, in drawing coordinates (pixel centres at half-integers). */
function centreOfMass(t: Float64Array, width: number, height: number): { cx: number; cy: number } {
  const w1 = width + 1;
  const total = t[height * w1 + width];
  let sx = 0;
  let sy = 0;
  for (let x = 0; x < width; x++) sx += (x + 0.5) * (t[height * w1 + x + 1] - t[height * w1 + x]);
  for (let y = 0; y < height; y++) sy += (y + 0.5) * (t[(y + 1) * w1 + width] - t[y * w1 + width]);
  return { cx: sx / total, cy: sy / total };
}
