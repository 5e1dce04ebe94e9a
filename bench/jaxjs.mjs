// @jax-js/jax 0.1.25 on workloads W1-W6 (JAX port to JS; wasm device = generated wasm kernels).
// Adapted from our team's peer-baseline script (same calls, same completion); only the output
// format (system/size/ms) and the --quick / timing overrides are new.
// Usage: node bench/jaxjs.mjs [--device wasm|cpu] [--jit 1|0] --workload W1|W2|W3|W4|W5|W6|all [--quick]
// jax-js uses reference-counted ownership: every function consumes its Array args,
// so arrays reused across calls are passed as `a.ref`; dataSync() also consumes its array.
import fs from "node:fs";
import path from "node:path";
import {
  parseArgs, peerRequire, PEER_DIR, uniform, timeit, median, spread, report, timing, runWorkloads,
  W1_SIZES, MLP, mlpInit, mlpData, W3_N, W4, W5, SIZES, W6, w6Init, w6Data, w6Loop, w6Record,
} from "./common.mjs";

const args = parseArgs();
const device = args.device || "wasm";
const useJit = (args.jit ?? "1") !== "0";
const workload = args.workload || "all";

const jax = peerRequire("@jax-js/jax");
const { numpy: np, nn, lax, tree, jit, valueAndGrad, init, defaultDevice } = jax;
const version = JSON.parse(fs.readFileSync(path.join(PEER_DIR, "node_modules/@jax-js/jax/package.json"))).version;
const avail = await init(device);
if (!avail.includes(device)) throw new Error(`jax-js device ${device} not available (got ${avail})`);
defaultDevice(device);
// Wasm kernels run multi-threaded only if globalThis.Worker + SharedArrayBuffer exist (browsers);
// Node 20 has no global Worker, so this is single-threaded.
const system = `jaxjs-${useJit ? "jit" : "eager"}${device === "wasm" ? "" : `-${device}`}`;
const meta = { system, version, threads: 1 };
console.error(`# jax-js ${version} device=${device} jit=${useJit} globalThis.Worker=${typeof Worker}`);
const J = (f) => (useJit ? jit(f) : f);

async function w1() {
  const mm = J((a, b) => np.matmul(a, b));
  for (const n of W1_SIZES) {
    const a = np.array(uniform(n * n, -1, 1, 1)).reshape([n, n]);
    const b = np.array(uniform(n * n, -1, 1, 2)).reshape([n, n]);
    const s = await timeit(() => { mm(a.ref, b.ref).dataSync(); }, timing("W1", args)(n));
    const t = median(s);
    report({ ...meta, workload: "W1", size: n, ms: +(t * 1e3).toFixed(3), gflops: +(2 * n ** 3 / t / 1e9).toFixed(2), spread: spread(s) });
    a.dispose(); b.dispose();
  }
}

async function w2() {
  const init = mlpInit();
  let params = {};
  init.forEach((l, i) => {
    params[`w${i}`] = np.array(l.w).reshape(l.wShape);
    params[`b${i}`] = np.array(l.b);
  });
  const d = mlpData();
  const x = np.array(d.x).reshape([MLP.batch, MLP.sizes[0]]);
  const y1h = nn.oneHot(np.array(d.y, { dtype: np.int32 }), 10); // labels -> one-hot once, outside the step
  const loss = (p, x, y1h) => {
    let h = np.matmul(x, p.w0).add(p.b0);
    h = nn.relu(h);
    h = nn.relu(np.matmul(h, p.w1).add(p.b1));
    const logits = np.matmul(h, p.w2).add(p.b2);
    return np.sum(nn.logSoftmax(logits, -1).mul(y1h)).mul(-1 / MLP.batch); // mean softmax-CE
  };
  const step = J((p, x, y1h) => {
    const [l, g] = valueAndGrad(loss)(tree.ref(p), x, y1h);
    const newP = tree.map((pi, gi) => pi.sub(gi.mul(MLP.lr)), p, g);
    return [l, newP];
  });
  let lastLoss = 0;
  let steps = 0;
  const doStep = () => {
    const [l, newP] = step(params, x.ref, y1h.ref);
    params = newP;
    lastLoss = l.dataSync()[0];
    steps++;
  };
  doStep();
  const firstLoss = lastLoss;
  const rss0 = process.memoryUsage().rss;
  const s = await timeit(doStep, timing("W2", args)());
  const t = median(s);
  report({ ...meta, workload: "W2", size: SIZES.W2, ms: +(t * 1e3).toFixed(3), stepsPerS: +(1 / t).toFixed(1), spread: spread(s),
    firstLoss: +firstLoss.toFixed(4), lastLoss: +lastLoss.toFixed(4), steps,
    rssGrowthMB: +((process.memoryUsage().rss - rss0) / 2 ** 20).toFixed(1) });
}

async function w3() {
  const x = np.array(uniform(W3_N, -1, 1, 3));
  const f = J(valueAndGrad((x) => np.sum(np.tanh(x.ref.mul(2).add(1)).mul(x))));
  let v = 0;
  const call = async () => { const [value, grad] = f(x.ref); v = value.dataSync()[0]; await grad.blockUntilReady(); grad.dispose(); };
  await call();
  const s = await timeit(call, timing("W3", args)());
  report({ ...meta, workload: "W3", size: SIZES.W3, ms: +(median(s) * 1e3).toFixed(3), spread: spread(s), value: v });
}

async function w4() {
  const w = np.array(uniform(W4.n, -1, 1, 4));
  const x = np.array(uniform(W4.n, -1, 1, 5));
  const y = np.array(uniform(W4.n, -1, 1, 6));
  const f = J(valueAndGrad((w, x, y) => np.sum(np.square(w.mul(x).sub(y)))));
  let v = 0;
  const call = () => { const [value, grad] = f(w.ref, x.ref, y.ref); v = value.dataSync()[0]; grad.dataSync(); };
  const t = timing("W4", args)();
  for (let i = 0; i < t.warmCalls; i++) call();
  const s = await timeit(call, { warm: 0, reps: t.reps, inner: t.inner });
  report({ ...meta, workload: "W4", size: SIZES.W4, ms: +(median(s) * 1e3).toFixed(5), us: +(median(s) * 1e6).toFixed(2), spread: spread(s), value: v });
}

async function w5() {
  const { batch, hw, c0, c1, c2, k } = W5;
  // jax-js conv layout: lhs [N, C, H, W], rhs [O, I, kh, kw]
  const x = np.array(uniform(batch * hw * hw * c0, 0, 1, 9)).reshape([batch, c0, hw, hw]);
  // same numbers as the other peers: generated in HWIO order, then transposed to OIHW
  const k1 = np.transpose(np.array(uniform(k * k * c0 * c1, -1 / 3, 1 / 3, 10)).reshape([k, k, c0, c1]), [3, 2, 0, 1]);
  const k2 = np.transpose(np.array(uniform(k * k * c1 * c2, -1 / 12, 1 / 12, 11)).reshape([k, k, c1, c2]), [3, 2, 0, 1]);
  const f = J(valueAndGrad((ks, x) =>
    np.sum(np.square(lax.conv(nn.relu(lax.conv(x, ks[0], [1, 1], "SAME")), ks[1], [1, 1], "SAME")))));
  let v = 0;
  const call = async () => {
    const [value, grads] = f([k1.ref, k2.ref], x.ref);
    v = value.dataSync()[0];
    for (const g of grads) await g.blockUntilReady();
    tree.dispose(grads);
  };
  const s = await timeit(call, timing("W5", args)());
  report({ ...meta, workload: "W5", size: SIZES.W5, ms: +(median(s) * 1e3).toFixed(3), spread: spread(s), value: +v.toFixed(2) });
}

// W6 in jax-js's NCHW / OIHW layout (the same numbers, transposed): max pooling by lax.reduceWindow,
// the dense input flattened in h, w, c order like the NHWC peers; Adam written out (optax's update:
// m̂ / (√v̂ + ε), bias corrections 1 − βᵗ) since @jax-js/jax has no optimizers.
async function w6() {
  const { batch, hw, classes, lr, b1, b2, eps } = W6;
  const [c1, c2, d1, d2] = w6Init();
  const oihw = (l) => np.transpose(np.array(l.w).reshape(l.wShape), [3, 2, 0, 1]);
  let params = {
    cw1: oihw(c1), cb1: np.array(c1.b).reshape([1, -1, 1, 1]),
    cw2: oihw(c2), cb2: np.array(c2.b).reshape([1, -1, 1, 1]),
    dw1: np.array(d1.w).reshape(d1.wShape), db1: np.array(d1.b),
    dw2: np.array(d2.w).reshape(d2.wShape), db2: np.array(d2.b),
  };
  let mu = tree.map((p) => np.zerosLike(p.ref), params);
  let nu = tree.map((p) => np.zerosLike(p.ref), params);
  const d = w6Data();
  const x = np.array(d.x).reshape([batch, 1, hw, hw]); // C = 1: NHWC and NCHW hold the same numbers
  const y1h = nn.oneHot(np.array(d.y, { dtype: np.int32 }), classes); // labels -> one-hot once, outside the step
  const pool = (h) => lax.reduceWindow(h, (w) => np.max(w), [2, 2], [2, 2]);
  const block = (h, w, b) => pool(nn.relu(lax.conv(h, w, [1, 1], "SAME").add(b)));
  const loss = (p, x, y1h) => {
    const h = block(block(x, p.cw1, p.cb1), p.cw2, p.cb2);
    const flat = np.transpose(h, [0, 2, 3, 1]).reshape([batch, -1]);
    const logits = np.matmul(nn.relu(np.matmul(flat, p.dw1).add(p.db1)), p.dw2).add(p.db2);
    return np.sum(nn.logSoftmax(logits, -1).mul(y1h)).mul(-1 / batch); // mean softmax-CE
  };
  const step = J((p, mu, nu, c1, c2, x, y1h) => {
    const [l, g] = valueAndGrad(loss)(tree.ref(p), x, y1h);
    const mu2 = tree.map((m, gi) => m.mul(b1).add(gi.ref.mul(1 - b1)), mu, tree.ref(g));
    const nu2 = tree.map((v, gi) => v.mul(b2).add(np.square(gi).mul(1 - b2)), nu, g);
    const p2 = tree.map((pi, m, v) => pi.sub(m.div(c1.ref).div(np.sqrt(v.div(c2.ref)).add(eps)).mul(lr)), p, tree.ref(mu2), tree.ref(nu2));
    c1.dispose();
    c2.dispose();
    return [l, p2, mu2, nu2];
  });
  let t = 0;
  const run = await w6Loop(() => {
    t++;
    const [l, p2, mu2, nu2] = step(params, mu, nu, np.array(1 - b1 ** t), np.array(1 - b2 ** t), x.ref, y1h.ref);
    params = p2;
    mu = mu2;
    nu = nu2;
    return l.dataSync()[0];
  }, timing("W6", args)());
  report(w6Record(meta, run));
}

await runWorkloads({ W1: w1, W2: w2, W3: w3, W4: w4, W5: w5, W6: w6 }, workload, system);
