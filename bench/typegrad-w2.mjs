// The W2 training step in typegrad (784-512-512-10 MLP, batch 128, mean softmax cross-entropy on
// integer labels, plain SGD p -= 0.01·g), shared by typegrad.mjs (timing) and soak.mjs (memory).
import { MLP, mlpData, mlpInit } from "./common.mjs";

/** A float32 / int32 tensor from a typed array (fromArray returns an fp-ts Either). */
export function tensorOf(tg, data, shape, dtype) {
  const e = tg.fromArray(data, shape, dtype);
  if (e._tag === "Left") throw e.left;
  return e.right;
}

/**
 * The initial parameters, the batch and the step of W2. Jitted, the step donates the parameters
 * (as JAX's donate_argnums): the new ones are written over the old.
 */
export function w2Setup(tg, jitted) {
  const { matmul, add, sub, mul, relu, jit, valueAndGrad, tree, losses } = tg;
  const params = {};
  mlpInit().forEach((l, i) => {
    params[`w${i}`] = tensorOf(tg, l.w, l.wShape);
    params[`b${i}`] = tensorOf(tg, l.b, [l.b.length]);
  });
  const d = mlpData();
  const x = tensorOf(tg, d.x, [MLP.batch, MLP.sizes[0]]);
  const labels = tensorOf(tg, d.y, [MLP.batch], "int32"); // integer labels; softmaxCrossEntropy one-hots them
  const loss = (p, x, labels) => {
    let h = relu(add(matmul(x, p.w0), p.b0));
    h = relu(add(matmul(h, p.w1), p.b1));
    return losses.softmaxCrossEntropy(add(matmul(h, p.w2), p.b2), labels); // mean over the batch
  };
  const body = (p, x, labels) => {
    const [l, g] = valueAndGrad(loss)(p, x, labels);
    return [l, tree.map(p, (pi, gi) => sub(pi, mul(gi, MLP.lr)), g)];
  };
  return { params, x, labels, step: jitted ? jit(body, { donate: [0] }) : body };
}
