/**
 * @file The drawing pad: white ink on black (as MNIST digits are), drawn with a mouse, pen or
 * finger through pointer events, and the little canvas that shows the 28×28 image the model sees.
 */

/** Stroke width relative to the pad: a digit drawn across most of it then has MNIST's stroke width. */
const STROKE = 0.075;

export class DrawingPad {
  private readonly ctx: CanvasRenderingContext2D;
  private last: { x: number; y: number } | null = null;
  private queued = false;

  /** `changed` runs at most once per frame while ink is being added, and after `clear`. */
  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly changed: () => void,
  ) {
    const ctx = canvas.getContext("2d", { willReadFrequently: true });
    if (ctx === null) throw new Error("DrawingPad: no 2D context");
    this.ctx = ctx;
    this.blank();
    canvas.addEventListener("pointerdown", (e) => {
      canvas.setPointerCapture(e.pointerId);
      this.last = this.at(e);
      this.stroke(this.last, this.last);
    });
    canvas.addEventListener("pointermove", (e) => {
      if (this.last === null) return;
      // Coalesced events keep fast strokes smooth where the browser merges moves into one event.
      for (const c of e.getCoalescedEvents?.() ?? [e]) {
        const p = this.at(c);
        this.stroke(this.last, p);
        this.last = p;
      }
    });
    const end = () => (this.last = null);
    canvas.addEventListener("pointerup", end);
    canvas.addEventListener("pointercancel", end);
  }

  clear(): void {
    this.blank();
    this.changed();
  }

  private blank(): void {
    this.ctx.fillStyle = "#000";
    this.ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
  }

  /** The drawing as ink levels in [0, 1], row-major. */
  ink(): { values: Float32Array; width: number; height: number } {
    const { width, height } = this.canvas;
    const rgba = this.ctx.getImageData(0, 0, width, height).data;
    const values = new Float32Array(width * height);
    for (let i = 0; i < values.length; i++) values[i] = rgba[4 * i] / 255;
    return { values, width, height };
  }

  private at(e: PointerEvent): { x: number; y: number } {
    const r = this.canvas.getBoundingClientRect();
    return { x: ((e.clientX - r.left) * this.canvas.width) / r.width, y: ((e.clientY - r.top) * this.canvas.height) / r.height };
  }

  private stroke(from: { x: number; y: number }, to: { x: number; y: number }): void {
    const c = this.ctx;
    c.strokeStyle = "#fff";
    c.lineWidth = STROKE * this.canvas.width;
    c.lineCap = "round";
    c.lineJoin = "round";
    c.beginPath();
    c.moveTo(from.x, from.y);
    c.lineTo(to.x, to.y);
    c.stroke();
    if (!this.queued) {
      this.queued = true;
      requestAnimationFrame(() => {
        this.queued = false;
        this.changed();
      });
    }
  }
}

/** Shows a 28×28 image (values in [0, 1]) on a 28×28 canvas, or black for none. */
export function showImage(canvas: HTMLCanvasElement, image: Float32Array | null): void {
  const ctx = canvas.getContext("2d");
  if (ctx === null) return;
  const pixels = ctx.createImageData(28, 28);
  for (let i = 0; i < 784; i++) {
    const v = Math.round(255 * (image?.[i] ?? 0));
    pixels.data.set([v, v, v, 255], 4 * i);
  }
  ctx.putImageData(pixels, 0, 0);
}
