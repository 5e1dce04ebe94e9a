/**
 * @file The page's two models, the MLP of example 07 and the CNN of example 08, and their
 * weights as safetensors bytes: the one form in which weights leave a model here (to the page
 * from the training worker, to IndexedDB, to a downloaded file, and back), always checked
 * against the model's parameter tree on the way in.
 */
import * as E from "fp-ts/lib/Either.js";
import { fromArray, io, jit, random, reshape, softmax, type Tensor } from "../../src/index.js";
import { digitCnn, digitMlp } from "../lib/digit-models.js";

/** The MLP of example 07. */
export const mlp = digitMlp;

/** The CNN of example 08. */
export const cnn = digitCnn;

export type MlpParams = ReturnType<typeof mlp.init>;
export type CnnParams = ReturnType<typeof cnn.init>;
export type Kind = "mlp" | "cnn";
interface ParamsOf {
  readonly mlp: MlpParams;
  readonly cnn: CnnParams;
}

/** A model's kind and its parameters, together: the parameters' type follows the kind. */
export type Weights = { readonly [K in Kind]: { readonly kind: K; readonly params: ParamsOf[K] } }[Kind];

/** A flat image batch [N, 784] → logits [N, 10], as each model reads its input. */
export const logits = {
  mlp: (p: MlpParams, x: Tensor<[number, 784]>) => mlp.apply(p, x),
  cnn: (p: CnnParams, x: Tensor<[number, 784]>) => cnn.apply(p, reshape(x, [x.shape[0], 28, 28, 1])),
} as const;

export const titles: Readonly<Record<Kind, string>> = { mlp: "MLP (784 → 256 → 10)", cnn: "CNN (two 3×3 convolutions)" };

export function isKind(s: unknown): s is Kind {
  return s === "mlp" || s === "cnn";
}

/** Fresh (untrained) parameters: also the template every loaded file is checked against. */
export function initial(kind: Kind): Weights {
  return kind === "mlp" ? { kind, params: mlp.init(random.key(0)) } : { kind, params: cnn.init(random.key(0)) };
}

/** The weights as a safetensors file; the model's kind goes in the metadata beside `extra`. */
export function toBytes(w: Weights, extra: Readonly<Record<string, string>> = {}): Uint8Array {
  return io.saveSafetensors(w.params, { ...extra, model: w.kind });
}

/**
 * Weights from a safetensors file, checked leaf by leaf against the model named in its
 * metadata (`model`), or against `fallback` when the file names none. Anything else (a damaged
 * file, an unknown model, a missing, extra or misshapen tensor) is a `Left` whose `IoError`
 * names the path and both shapes.
 */
export function fromBytes(bytes: Uint8Array, fallback: Kind): E.Either<io.IoError, { weights: Weights; metadata: Readonly<Record<string, string>> }> {
  const meta = io.readMetadata(bytes);
  if (E.isLeft(meta)) return meta;
  const metadata = meta.right;
  const named = metadata.model;
  if (named !== undefined && !isKind(named)) {
    return E.left(new io.IoError(`weights: the file is for a model "${named}"; this page has "mlp" and "cnn"`));
  }
  const kind = named ?? fallback;
  const template = initial(kind);
  // NB: each branch loads against its own template, so the result's type follows the kind.
  if (template.kind === "mlp") return E.map((params: MlpParams) => ({ weights: { kind: "mlp" as const, params }, metadata }))(io.loadSafetensors(bytes, template.params));
  return E.map((params: CnnParams) => ({ weights: { kind: "cnn" as const, params }, metadata }))(io.loadSafetensors(bytes, template.params));
}

const probabilitiesOf = {
  mlp: jit((p: MlpParams, x: Tensor<[number, 784]>) => softmax(logits.mlp(p, x))),
  cnn: jit((p: CnnParams, x: Tensor<[number, 784]>) => softmax(logits.cnn(p, x))),
};

/** The ten class probabilities for one 28×28 image (784 values, row-major). */
export function classify(w: Weights, image: Float32Array): number[] {
  const x = fromArray(image, [1, 784]);
  if (E.isLeft(x)) throw x.left;
  const p = w.kind === "mlp" ? probabilitiesOf.mlp(w.params, x.right) : probabilitiesOf.cnn(w.params, x.right);
  return Array.from(p.data());
}
