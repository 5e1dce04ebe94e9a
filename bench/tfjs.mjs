// TensorFlow.js 4.22.0 on workloads W1-W6 (tfjs-backend-cpu = pure JS, tfjs-backend-wasm = wasm SIMD).
// Adapted from our team's peer-baseline script (same calls, same completion); only the output
// format (system/size/ms) and the --quick / timing overrides are new.
// Usage: node bench/tfjs.mjs --backend cpu|wasm --workload W1|W2|W3|W4|W5|W6|all [--quick]
import path from "node:path";
import {
  parseArgs, peerRequire, PEER_DIR, uniform, timeit, median, spread, report, timing, runWorkloads,
  W1_SIZES, MLP, mlpInit, mlpData, W3_N, W4, W5, SIZES, W6, w6Init, w6Data, w6Loop, w6Record,
} from "./common.mjs";

const args = parseArgs();
const backend = args.backend || "cpu";
const workload = args.workload || "all";

// The union package "@tensorflow/tfjs" is required (not only tfjs-core): tfjs-core's Node (CJS) bundle
// registers no gradients, and "Cannot compute gradient: gradient function not found for Sum" follows.
const tf = peerRequire("@tensorflow/tfjs");
let threads = 1;
if (backend === "wasm") {
  const wasm = peerRequire("@tensorflow/tfjs-backend-wasm");
  wasm.setWasmPaths(path.join(PEER_DIR, "node_modules/@tensorflow/tfjs-backend-wasm/dist/"));
  // (tfjs hard-codes "no threads in Node", tfjs issue #3830: 1 thread)
  await tf.setBackend("wasm");
  threads = wasm.getThreadsCount();
} else {
  await tf.setBackend("cpu");
}
await tf.ready();
const system = `tfjs-${tf.getBackend()}`;
const meta = { system, version: tf.version_core, threads };
console.error(`# ${system} tfjs-core ${tf.version_core} threads=${threads}`
  + (backend === "wasm" ? ` simd=${await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT")}` : ""));

async function w1() {
  for (const n of W1_SIZES) {
    const a = tf.tensor2d(uniform(n * n, -1, 1, 1), [n, n]);
    const b = tf.tensor2d(uniform(n * n, -1, 1, 2), [n, n]);
    const s = await timeit(() => { const c = tf.matMul(a, b); c.dataSync(); c.dispose(); }, timing("W1", args)(n));
    const t = median(s);
    report({ ...meta, workload: "W1", size: n, ms: +(t * 1e3).toFixed(3), gflops: +(2 * n ** 3 / t / 1e9).toFixed(2), spread: spread(s) });
    a.dispose(); b.dispose();
  }
}

async function w2() {
  const init = mlpInit();
  const params = init.flatMap((l, i) => [
    tf.variable(tf.tensor2d(l.w, l.wShape), true, `w${i}`),
    tf.variable(tf.tensor1d(l.b), true, `b${i}`),
  ]);
  const d = mlpData();
  const x = tf.tensor2d(d.x, [MLP.batch, MLP.sizes[0]]);
  const yOneHot = tf.oneHot(tf.tensor1d(d.y, "int32"), 10); // labels -> one-hot once, outside the step
  const opt = tf.train.sgd(MLP.lr);
  const lossFn = () => {
    let h = x;
    for (let i = 0; i < 3; i++) {
      h = tf.add(tf.matMul(h, params[2 * i]), params[2 * i + 1]);
      if (i < 2) h = tf.relu(h);
    }
    return tf.losses.softmaxCrossEntropy(yOneHot, h); // mean over batch
  };
  let lastLoss = 0;
  let steps = 0;
  const step = () => { const c = opt.minimize(lossFn, true); lastLoss = c.dataSync()[0]; c.dispose(); steps++; };
  step();
  const firstLoss = lastLoss;
  const nt0 = tf.memory().numTensors;
  const s = await timeit(step, timing("W2", args)());
  const nt1 = tf.memory().numTensors;
  const t = median(s);
  report({ ...meta, workload: "W2", size: SIZES.W2, ms: +(t * 1e3).toFixed(3), stepsPerS: +(1 / t).toFixed(1), spread: spread(s),
    firstLoss: +firstLoss.toFixed(4), lastLoss: +lastLoss.toFixed(4), steps, numTensorsBefore: nt0, numTensorsAfter: nt1 });
}

async function w3() {
  const x = tf.tensor1d(uniform(W3_N, -1, 1, 3));
  const f = tf.valueAndGrad((x) => tf.sum(tf.mul(tf.tanh(tf.add(tf.mul(x, 2), 1)), x)));
  let v = 0;
  const call = () => { const { value, grad } = f(x); v = value.dataSync()[0]; value.dispose(); grad.dispose(); };
  call();
  const nt0 = tf.memory().numTensors;
  const s = await timeit(call, timing("W3", args)());
  report({ ...meta, workload: "W3", size: SIZES.W3, ms: +(median(s) * 1e3).toFixed(3), spread: spread(s), value: v,
    numTensorsBefore: nt0, numTensorsAfter: tf.memory().numTensors });
}

async function w4() {
  const w = tf.tensor1d(uniform(W4.n, -1, 1, 4));
  const x = tf.tensor1d(uniform(W4.n, -1, 1, 5));
  const y = tf.tensor1d(uniform(W4.n, -1, 1, 6));
  const f = tf.valueAndGrad((w) => tf.sum(tf.square(tf.sub(tf.mul(w, x), y))));
  let v = 0;
  const call = () => { const { value, grad } = f(w); v = value.dataSync()[0]; value.dispose(); grad.dispose(); };
  const t = timing("W4", args)();
  for (let i = 0; i < t.warmCalls; i++) call();
  const s = await timeit(call, { warm: 0, reps: t.reps, inner: t.inner });
  report({ ...meta, workload: "W4", size: SIZES.W4, ms: +(median(s) * 1e3).toFixed(5), us: +(median(s) * 1e6).toFixed(2), spread: spread(s), value: v });
}

async function w5() {
  const { batch, hw, c0, c1, c2, k } = W5;
  const x = tf.tensor4d(uniform(batch * hw * hw * c0, 0, 1, 9), [batch, hw, hw, c0]); // NHWC
  const k1 = tf.tensor4d(uniform(k * k * c0 * c1, -1 / 3, 1 / 3, 10), [k, k, c0, c1]);
  const k2 = tf.tensor4d(uniform(k * k * c1 * c2, -1 / 12, 1 / 12, 11), [k, k, c1, c2]);
  const f = tf.valueAndGrads((k1, k2) =>
    tf.sum(tf.square(tf.conv2d(tf.relu(tf.conv2d(x, k1, 1, "same")), k2, 1, "same"))));
  let v = 0;
  const call = () => { const { value, grads } = f([k1, k2]); v = value.dataSync()[0]; value.dispose(); tf.dispose(grads); };
  const s = await timeit(call, timing("W5", args)());
  report({ ...meta, workload: "W5", size: SIZES.W5, ms: +(median(s) * 1e3).toFixed(3), spread: spread(s), value: +v.toFixed(2) });
}

// The CNN of W6 as tfjs layers would compute it (conv2d SAME + bias, ReLU, maxPool 2, NHWC; the
// dense input is flattened in h, w, c order like typegrad's), trained by tf.train.adam.
async function w6() {
  const { batch, hw, classes, lr, b1, b2, eps } = W6;
  const params = w6Init().flatMap((l, i) => [
    tf.variable(tf.tensor(l.w, l.wShape), true, `w${i}`),
    tf.variable(tf.tensor1d(l.b), true, `b${i}`),
  ]);
  const [cw1, cb1, cw2, cb2, dw1, db1, dw2, db2] = params;
  const d = w6Data();
  const x = tf.tensor4d(d.x, [batch, hw, hw, 1]);
  const yOneHot = tf.oneHot(tf.tensor1d(d.y, "int32"), classes); // labels -> one-hot once, outside the step
  const opt = tf.train.adam(lr, b1, b2, eps);
  const block = (h, w, b) => tf.maxPool(tf.relu(tf.add(tf.conv2d(h, w, 1, "same"), b)), 2, 2, "valid");
  const lossFn = () => {
    const h = block(block(x, cw1, cb1), cw2, cb2);
    const flat = tf.reshape(h, [batch, -1]);
    const logits = tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(flat, dw1), db1)), dw2), db2);
    return tf.losses.softmaxCrossEntropy(yOneHot, logits); // mean over the batch
  };
  const run = await w6Loop(() => {
    const c = opt.minimize(lossFn, true);
    const l = c.dataSync()[0];
    c.dispose();
    return l;
  }, timing("W6", args)());
  report({ ...w6Record(meta, run), numTensors: tf.memory().numTensors });
}

await runWorkloads({ W1: w1, W2: w2, W3: w3, W4: w4, W5: w5, W6: w6 }, workload, system);
