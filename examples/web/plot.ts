/**
 * @file The live loss plot: every step's training loss (faint) and its moving average (bold) on a
 * canvas, epochs marked, redrawn as reports arrive. No plotting library: a few lines of canvas.
 */

/** The moving average spans about this fraction of the run (within bounds): smooth, yet not lagging. */
const SPAN = 1 / 20;
const PAD = { left: 44, right: 10, top: 10, bottom: 24 };

export function drawLosses(canvas: HTMLCanvasElement, losses: readonly number[], stepsPerEpoch: number, totalSteps: number): void {
  const ctx = canvas.getContext("2d");
  if (ctx === null) return;
  const { width, height } = canvas;
  ctx.clearRect(0, 0, width, height);
  ctx.font = "11px sans-serif";
  ctx.fillStyle = "#666";
  const finite = losses.filter(Number.isFinite);
  const top = niceCeiling(Math.max(0.5, ...finite));
  const steps = Math.max(totalSteps, losses.length, 1);
  const x = (i: number) => PAD.left + ((width - PAD.left - PAD.right) * i) / steps;
  const y = (v: number) => PAD.top + (height - PAD.top - PAD.bottom) * (1 - Math.min(v, top) / top);

  // Axes, the loss scale, and a line at each epoch's end.
  ctx.strokeStyle = "#ccc";
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (const v of [0, top / 2, top]) {
    ctx.moveTo(PAD.left, y(v));
    ctx.lineTo(width - PAD.right, y(v));
    ctx.fillText(v.toFixed(2), 4, y(v) + 4);
  }
  for (let e = stepsPerEpoch; stepsPerEpoch > 0 && e < steps; e += stepsPerEpoch) {
    ctx.moveTo(x(e), PAD.top);
    ctx.lineTo(x(e), height - PAD.bottom);
  }
  ctx.stroke();
  ctx.fillText(`step ${losses.length} of ${steps}`, PAD.left, height - 6);
  ctx.textAlign = "right";
  ctx.fillText("training loss", width - PAD.right, height - 6);
  ctx.textAlign = "left";
  if (losses.length === 0) return;

  line(ctx, losses.map((v, i) => [x(i + 1), y(v)]), "rgba(40, 90, 200, 0.25)", 1);
  const weight = Math.min(0.3, Math.max(0.02, 1 / (SPAN * steps)));
  let average = losses[0];
  line(ctx, losses.map((v, i) => [x(i + 1), y((average += weight * (v - average)))]), "rgb(40, 90, 200)", 2);
}

function line(ctx: CanvasRenderingContext2D, points: readonly [number, number][], colour: string, width: number): void {
  ctx.strokeStyle = colour;
  ctx.lineWidth = width;
  ctx.beginPath();
  points.forEach(([px, py], i) => (i === 0 ? ctx.moveTo(px, py) : ctx.lineTo(px, py)));
  ctx.stroke();
}

/** The smallest of 1, 2, 2.5 or 5 times a power of ten at or above `v`. */
function niceCeiling(v: number): number {
  const power = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 2.5, 5, 10].map((m) => m * power).find((c) => c >= v) ?? 10 * power;
}
