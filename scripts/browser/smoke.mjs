// The built bundle in a real browser (run by scripts/browser-test.mjs): a page loads
// dist/index.js from the test's server, which sends the cross-origin-isolation headers (so
// SharedArrayBuffer and the worker pool are allowed), runs jitted work on one thread and then on
// the pool, and leaves what it saw in `self.smokeResult`.
// Checks: the bundle imports without Node; the pool starts in a browser; fused loops, products
// and a gradient give the same bits on one thread and on the pool, and the right values; the
// typegrad/onnx entry exports a jitted function in the page.

// Runs in the page. Plain JS over the public API only.
const pageScript = `
import * as tg from "/dist/index.js";
const out = { crossOriginIsolated: self.crossOriginIsolated, checks: [] };
const check = (name, ok, detail = "") => out.checks.push({ name, ok: !!ok, detail: String(detail) });
try {
  const n = 300001;
  const xs = new Float32Array(n).map((_, i) => Math.sin(i) * 0.9);
  const x = tg.fromArray(xs, [n]).right;
  const m = 256;
  const a = tg.fromArray(new Float32Array(m * m).map((_, i) => Math.cos(i)), [m, m]).right;
  const w3 = tg.jit(tg.valueAndGrad((x) => tg.sum(tg.mul(tg.tanh(tg.add(tg.mul(x, 2), 1)), x))));
  const mm = tg.jit((a) => tg.matmul(a, a));
  const run = () => {
    const [v, g] = w3(x);
    return { value: v.item(), grad: g.data(), product: mm(a).data() };
  };
  tg.setKernelThreads(1);
  const alone = run();
  tg.setKernelThreads(2);
  const threads = await tg.kernelThreadsReady();
  check("the worker pool starts", threads === 2, "threads ready: " + threads);
  const pooled = run();
  const same = (p, q) => p.length === q.length && p.every((v, i) => Object.is(v, q[i]));
  check("value: same bits on one thread and on the pool", Object.is(alone.value, pooled.value), alone.value + " vs " + pooled.value);
  check("gradient: same bits", same(alone.grad, pooled.grad));
  check("product: same bits", same(alone.product, pooled.product));
  // A loop first compiled now, with the pool up: the workers learn its module by message.
  const late = tg.jit((x) => tg.log(tg.add(tg.mul(x, x), 1)));
  const lateValues = () => [0, 1, 2].map(() => late(x).data());
  tg.setKernelThreads(1);
  const lateAlone = lateValues();
  tg.setKernelThreads(2);
  const latePooled = lateValues();
  check("a loop compiled after the pool started: same bits", lateAlone.every((v, i) => same(v, latePooled[i])));
  let worst = 0;
  for (let i = 0; i < n; i++) {
    const t = Math.tanh(2 * xs[i] + 1);
    worst = Math.max(worst, Math.abs(pooled.grad[i] - (t + (1 - t * t) * 2 * xs[i])));
  }
  check("gradient within float32 rounding of float64", worst < 1e-5, "max error " + worst);
  let s = 0;
  for (let p = 0; p < m; p++) s += Math.cos(3 * m + p) * Math.cos(p * m + 5);
  check("a product element within rounding", Math.abs(pooled.product[3 * m + 5] - s) < 1e-3, pooled.product[3 * m + 5] + " vs " + s);
  // IDX through gzip: the bundled streaming inflater runs in the page.
  const idx = new Uint8Array([0, 0, 8, 1, 0, 0, 0, 3, 7, 8, 255]);
  const gz = new Uint8Array(await new Response(new Blob([idx]).stream().pipeThrough(new CompressionStream("gzip"))).arrayBuffer());
  const decoded = await tg.data.decodeIdx(gz);
  check("a gzipped IDX file decodes", decoded._tag === "Right" && decoded.right.data().join() === "7,8,255", JSON.stringify(decoded.left?.message));
  const longer = await tg.data.decodeIdx(new Uint8Array([...gz, 1, 2, 3, 4, 5]));
  check("trailing bytes after the gzip data are a Left", longer._tag === "Left", longer.left?.message);
  // typegrad/onnx shares the page's core (one chunk): a jitted function exports to ONNX here too.
  const onnx = await import("/dist/onnx.js");
  const bytes = onnx.exportModel(tg.jit((x) => tg.tanh(tg.add(x, 1))), [tg.zeros([2, 3])], { inputNames: ["x"], dynamicAxes: { x: { 0: "batch" } } });
  const graph = onnx.decodeModel(bytes).graph;
  const dims = graph.input[0].type.tensorType.shape.dim.map((d) => d.dimParam ?? d.dimValue).join();
  check("an ONNX export in the page", graph.input[0].name === "x" && dims === "batch,3" && graph.node.some((n) => n.opType === "Tanh"), graph.input[0].name + " [" + dims + "]");
} catch (e) {
  check("no exception", false, e && e.stack || e);
}
self.smokeResult = out;
`;
/** The smoke page's HTML, to be served at `smokePath` beside a mount of dist/ at /dist/. */
export const smokePath = "/smoke.html";
export const smokePage = `<!doctype html><meta charset="utf-8"><title>typegrad smoke</title><link rel="icon" href="data:,"><script type="module">${pageScript}</script>`;

/** Runs the smoke page in a new page of `context`; `check(name, ok, detail)` records each result. */
export async function smoke(context, baseUrl, check) {
  const page = await context.newPage();
  try {
    await page.goto(new URL(smokePath, baseUrl).href);
    await page.waitForFunction(() => self.smokeResult !== undefined, null, { timeout: 60_000 });
    const seen = await page.evaluate(() => self.smokeResult);
    check("smoke: the page is cross-origin isolated", seen.crossOriginIsolated === true);
    for (const c of seen.checks) check(`smoke: ${c.name}`, c.ok, c.detail);
  } finally {
    await page.close();
  }
}
