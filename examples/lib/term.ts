/** @file Terminal output for the digit examples: digits drawn with shade blocks, and a confusion matrix. */

const SHADES = [" ", "░", "▒", "▓", "█"];

/** A 28×28 image (values in [0, 1], row-major) as 14 lines of shade characters, two pixels per cell vertically averaged. */
export function drawDigit(pixels: ArrayLike<number>, offset = 0): string[] {
  const lines: string[] = [];
  for (let r = 0; r < 28; r += 2) {
    let line = "";
    for (let c = 0; c < 28; c++) {
      const v = (pixels[offset + r * 28 + c] + pixels[offset + (r + 1) * 28 + c]) / 2;
      line += SHADES[Math.min(SHADES.length - 1, Math.floor(v * SHADES.length))];
    }
    lines.push(line);
  }
  return lines;
}

/** Several digits side by side, each with a caption underneath. */
export function drawDigits(images: { pixels: ArrayLike<number>; offset: number; caption: string }[]): string {
  const drawn = images.map((im) => drawDigit(im.pixels, im.offset));
  const rows = drawn[0].map((_, r) => drawn.map((d) => d[r]).join("  "));
  const captions = images.map((im) => im.caption.padEnd(28)).join("  ");
  return [...rows, captions].join("\n");
}

/** A confusion matrix with row and column headers (rows: true class, columns: predicted). */
export function formatConfusion(matrix: number[][]): string {
  const width = Math.max(4, ...matrix.flat().map((v) => String(v).length + 1));
  const header = "true\\pred " + matrix.map((_, j) => String(j).padStart(width)).join("");
  const body = matrix.map((row, i) => `${String(i).padStart(9)} ` + row.map((v) => String(v).padStart(width)).join(""));
  return [header, ...body].join("\n");
}
