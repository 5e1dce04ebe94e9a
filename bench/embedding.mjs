// nn.embedding: the old one-hot × table product against the gather it is now (issue 11, item 6).
// A 10,000-word vocabulary, a batch of 64 × 128 tokens, 64-dim vectors; one step is the value and
// the table gradient of Σ embed(table, ids) ⊙ r for a fixed random r (forward and backward).
// Prints one JSON line per path (ms per step) and the ratio one-hot / gather.
//
// Usage: node bench/embedding.mjs [--mode jit|eager] [--path both|onehot|gather]
//        [--warm N --reps N] [--vocab N --batch N --tokens N --dim N]
// Imports the BUILT bundle ../dist/index.js (`npm run build` first), or $TYPEGRAD_BUNDLE.
// The one-hot path materializes a [batch, tokens, vocab] float32 matrix: ~330 MB at the defaults.
import path from "node:path";
import { BENCH_DIR, median, parseArgs, randint, report, spread, timeit, uniform } from "./common.mjs";
import { tensorOf } from "./typegrad-w2.mjs";

const args = parseArgs();
const mode = args.mode || "jit";
if (mode !== "jit" && mode !== "eager") throw new Error(`--mode must be jit or eager, not ${mode}`);
const which = args.path || "both";
if (!["both", "onehot", "gather"].includes(which)) throw new Error(`--path must be both, onehot or gather, not ${which}`);
const int = (name, dflt) => {
  const v = args[name] === undefined ? dflt : Number(args[name]);
  if (!Number.isInteger(v) || v < 0) throw new Error(`--${name} must be a non-negative integer, got ${args[name]}`);
  return v;
};
const SIZE = { vocab: int("vocab", 10_000), batch: int("batch", 64), tokens: int("tokens", 128), dim: int("dim", 64) };
const TIMING = { warm: int("warm", 2), reps: int("reps", 5), inner: 1 };

const bundle = process.env.TYPEGRAD_BUNDLE ? path.resolve(process.env.TYPEGRAD_BUNDLE) : path.join(BENCH_DIR, "../dist/index.js");
const tg = await import(bundle);
const { jit, valueAndGrad, matmul, mul, sum, oneHot, nn } = tg;
console.error(`# typegrad embedding bench mode=${mode} ${JSON.stringify(SIZE)} (${path.relative(process.cwd(), bundle)})`);

const { vocab, batch, tokens, dim } = SIZE;
const table = tensorOf(tg, uniform(vocab * dim, -1, 1, 1), [vocab, dim]);
const ids = tensorOf(tg, randint(batch * tokens, vocab, 2), [batch, tokens], "int32");
const r = tensorOf(tg, uniform(batch * tokens * dim, -1, 1, 3), [batch, tokens, dim]);

// Both look up rows of the same table and check the indices the same way (a RangeError out of range).
const layer = nn.embedding(vocab, dim);
const PATHS = {
  onehot: (t, x) => matmul(oneHot(x, vocab), t),
  gather: (t, x) => layer.apply({ table: t }, x),
};

async function measure(name) {
  const embed = PATHS[name];
  const f = valueAndGrad((t, x, w) => sum(mul(embed(t, x), w)));
  const step = mode === "jit" ? jit(f) : f;
  let value = 0;
  const run = () => {
    const [v, g] = step(table, ids, r);
    value = v.item();
    if (g.concrete() === null) throw new Error("gradient is not concrete");
  };
  const samples = await timeit(run, TIMING);
  const ms = median(samples) * 1e3;
  report({ system: `typegrad-${mode}`, workload: `embedding-${name}`, size: SIZE, ms: +ms.toFixed(3), spread: spread(samples), value: +value.toFixed(4) });
  return { ms, value };
}

const results = {};
for (const name of which === "both" ? ["onehot", "gather"] : [which]) results[name] = await measure(name);
if (results.onehot && results.gather) {
  const agree = Math.abs(results.onehot.value - results.gather.value) <= 1e-3 * Math.max(1, Math.abs(results.gather.value));
  console.log(JSON.stringify({ workload: "embedding", ratio: +(results.onehot.ms / results.gather.ms).toFixed(2), valuesAgree: agree }));
  if (!agree) process.exitCode = 1;
}
