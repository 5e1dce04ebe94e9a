// The W6 training step in typegrad (the CNN of bench/README.md: two 3×3 SAME convolutions with
// ReLU and 2×2 max pooling, two dense layers, mean softmax cross-entropy on integer labels, Adam),
// shared by typegrad.mjs (timing) and profile runs. The model is the library's own layers
// (nn.conv2d, nn.maxPool2d, nn.flatten, nn.dense) and the update optim.adam.
import { W6, w6Data, w6Init } from "./common.mjs";
import { tensorOf } from "./typegrad-w2.mjs";

/**
 * The initial parameters and optimizer state, the batch and the step of W6. Jitted, the step
 * donates the parameters and the optimizer state (as JAX's donate_argnums).
 */
export function w6Setup(tg, jitted) {
  const { nn, optim, losses, jit, valueAndGrad } = tg;
  const { c1, c2, hidden, classes, k, hw, batch } = W6;
  const model = nn.serial(
    nn.conv2d(1, c1, k, { padding: "same" }),
    nn.relu,
    nn.maxPool2d(2),
    nn.conv2d(c1, c2, k, { padding: "same" }),
    nn.relu,
    nn.maxPool2d(2),
    nn.flatten,
    nn.dense((hw / 4) * (hw / 4) * c2, hidden),
    nn.relu,
    nn.dense(hidden, classes),
  );
  const leaf = (l) => ({ w: tensorOf(tg, l.w, l.wShape), b: tensorOf(tg, l.b, [l.b.length]) });
  const [conv1, conv2, dense1, dense2] = w6Init().map(leaf);
  // One entry per layer of the serial stack; layers without parameters hold {}.
  const params = [conv1, {}, {}, conv2, {}, {}, {}, dense1, {}, dense2];
  const d = w6Data();
  const x = tensorOf(tg, d.x, [batch, hw, hw, 1]);
  const labels = tensorOf(tg, d.y, [batch], "int32");
  const opt = optim.adam(W6.lr, W6.b1, W6.b2, W6.eps);
  const loss = (p, x, y) => losses.softmaxCrossEntropy(model.apply(p, x), y);
  const body = (p, s, x, y) => {
    const [l, g] = valueAndGrad(loss)(p, x, y);
    const [updates, s2] = opt.update(g, s, p);
    return [l, optim.applyUpdates(p, updates), s2];
  };
  return { params, state: opt.init(params), x, labels, step: jitted ? jit(body, { donate: [0, 1] }) : body };
}
