// Gradients of W3, W4, W5 in typegrad (jit and eager) against tfjs-cpu: max |difference|.
//   node bench/gradcheck.mjs   (uses ../dist/index.js; run `npm run build` first)
import { peerRequire, uniform, W3_N, W4, W5 } from "./common.mjs";
const tg = await import(new URL("../dist/index.js", import.meta.url));
const tf = peerRequire("@tensorflow/tfjs"); await tf.setBackend("cpu");
const T = (d, s) => tg.fromArray(d, s).right;
const cmp = (name, a, b) => { let m = 0, n = 0; for (let i = 0; i < a.length; i++) { m = Math.max(m, Math.abs(a[i] - b[i])); n = Math.max(n, Math.abs(b[i])); } console.log(name, "max|diff|", m.toExponential(2), "max|g|", n.toExponential(2), "rel", (m / n).toExponential(2)); };
for (const mode of ["jit", "eager"]) {
  const J = (f) => (mode === "jit" ? tg.jit(f) : f);
  console.log("typegrad-" + mode, "vs tfjs-cpu");
  { const x = uniform(W3_N, -1, 1, 3);
    const [, g] = J(tg.valueAndGrad((x) => tg.sum(tg.mul(tg.tanh(tg.add(tg.mul(x, 2), 1)), x))))(T(x, [W3_N]));
    const { grad } = tf.valueAndGrad((x) => tf.sum(tf.mul(tf.tanh(tf.add(tf.mul(x, 2), 1)), x)))(tf.tensor1d(x));
    cmp(" W3 grad", g.data(), grad.dataSync()); }
  { const [w, x, y] = [4, 5, 6].map((s) => uniform(16, -1, 1, s));
    const [, g] = J(tg.valueAndGrad((w, x, y) => tg.sum(tg.square(tg.sub(tg.mul(w, x), y)))))(T(w, [16]), T(x, [16]), T(y, [16]));
    const xt = tf.tensor1d(x), yt = tf.tensor1d(y);
    const { grad } = tf.valueAndGrad((w) => tf.sum(tf.square(tf.sub(tf.mul(w, xt), yt))))(tf.tensor1d(w));
    cmp(" W4 grad", g.data(), grad.dataSync()); }
  { const { batch, hw, c0, c1, c2, k } = W5;
    const x = uniform(batch * hw * hw * c0, 0, 1, 9), k1 = uniform(k * k * c0 * c1, -1 / 3, 1 / 3, 10), k2 = uniform(k * k * c1 * c2, -1 / 12, 1 / 12, 11);
    const l1 = tg.nn.conv2d(c0, c1, 3, { padding: "same" }), l2 = tg.nn.conv2d(c1, c2, 3, { padding: "same" });
    const b1 = tg.zeros([c1]), b2 = tg.zeros([c2]);
    const [, g] = J(tg.valueAndGrad((ks, x) => tg.sum(tg.square(l2.apply({ w: ks[1], b: b2 }, tg.relu(l1.apply({ w: ks[0], b: b1 }, x)))))))([T(k1, [k, k, c0, c1]), T(k2, [k, k, c1, c2])], T(x, [batch, hw, hw, c0]));
    const xt = tf.tensor4d(x, [batch, hw, hw, c0]);
    const { grads } = tf.valueAndGrads((a, b) => tf.sum(tf.square(tf.conv2d(tf.relu(tf.conv2d(xt, a, 1, "same")), b, 1, "same"))))([tf.tensor4d(k1, [k, k, c0, c1]), tf.tensor4d(k2, [k, k, c1, c2])]);
    cmp(" W5 dK1", g[0].data(), grads[0].dataSync()); cmp(" W5 dK2", g[1].data(), grads[1].dataSync()); }
}
