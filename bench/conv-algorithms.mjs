// Winograd against the direct product for one convolution shape: a jitted 3×3 "same"
// convolution, and the gradients of ⟨conv(x, w), ct⟩ in x and w (the input and filter gradients
// alone: the forward pass is dead code there), with
// `setConvAlgorithm("auto")` (Winograd where it applies) and `"direct"`, alternated.
//   npm run build && node bench/conv-algorithms.mjs [--shape n,hw,c,o] (default 128,14,32,64)
import { median, parseArgs, timeit, uniform } from "./common.mjs";
import { tensorOf } from "./typegrad-w2.mjs";

const args = parseArgs();
const tg = await import(process.env.TYPEGRAD_BUNDLE ?? new URL("../dist/index.js", import.meta.url).href);
const [n, hw, c, o] = String(args.shape ?? "128,14,32,64").split(",").map(Number);
await tg.kernelThreadsReady();
const x = tensorOf(tg, uniform(n * hw * hw * c, -1, 1, 1), [n, hw, hw, c]);
const w = tensorOf(tg, uniform(9 * c * o, -0.3, 0.3, 2), [3, 3, c, o]);
const ct = tensorOf(tg, uniform(n * hw * hw * o, -1, 1, 3), [n, hw, hw, o]);
const conv = (a, b) => tg.conv2d(a, b, { padding: "same" });
const loss = (a, b, t) => tg.sum(tg.mul(conv(a, b), t));
const jobs = {
  forward: (f) => f(x, w).data(),
  "input and filter gradients": (f) => f(x, w, ct).map((g) => g.data()),
};
const fns = { forward: () => tg.jit(conv), "input and filter gradients": () => tg.jit(tg.grad(loss, { argnums: [0, 1] })) };
console.log(`# conv 3×3 same, x [${n}, ${hw}, ${hw}, ${c}], ${c} → ${o} channels; threads ${await tg.kernelThreadsReady()}`);
for (const [name, run] of Object.entries(jobs)) {
  const ms = { auto: [], direct: [] };
  for (let round = 0; round < 3; round++) {
    for (const algorithm of ["auto", "direct"]) {
      tg.setConvAlgorithm(algorithm);
      // a function of its own per algorithm: jit caches its plan per function
      const f = fns[name]();
      ms[algorithm].push(median(await timeit(() => run(f), { warm: 2, reps: 5, inner: 5 })) * 1e3);
    }
  }
  tg.setConvAlgorithm("auto");
  const [a, d] = [Math.min(...ms.auto), Math.min(...ms.direct)];
  console.log(`${name}: Winograd ${a.toFixed(2)} ms, direct ${d.toFixed(2)} ms (best of 3 alternated rounds), ratio ${(d / a).toFixed(2)}×`);
}
