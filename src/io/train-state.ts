/**
 * @file A training state (parameters, optimizer state, key, epoch and step counts) in one
 * safetensors file: tensors under `params.…`, `optState.…` and `key`; the counts in the metadata
 * as decimal strings (exact to 2^53, where an int32 tensor would stop at 2^31).
 */
import * as E from "fp-ts/lib/Either.js";
import { IoError } from "../data/errors.js";
import type { TrainState } from "../train/state.js";
import { parseSafetensors, type Bytes } from "./decode.js";
import { saveSafetensors, type Metadata, type Saveable } from "./encode.js";
import { loadParsed, spec, type Loaded, type Template } from "./load.js";
import type { Key } from "../random/key.js";

/** Metadata keys this module writes; a caller's own keys may not start with the prefix. */
const PREFIX = "typegrad.";
const KIND = `${PREFIX}kind`;
const EPOCH = `${PREFIX}epoch`;
const STEP = `${PREFIX}step`;
const KIND_VALUE = "trainState/1";

/**
 * The safetensors bytes of a training state, with `metadata` (keys not starting `typegrad.`)
 * beside the counts. Load it with `io.loadTrainState` and continue with `fit({ …, resume })`.
 * @example
 * declare function save(bytes: Uint8Array): void; // to a file, IndexedDB, …
 * const model = nn.dense(784, 10);
 * declare const train: data.Dataset<Tensor<[number, 784]>, Tensor<[number], "int32">>;
 * fit({
 *   params: model.init(random.key(0)),
 *   optimizer: optim.adam(1e-3),
 *   loss: (p, x, y) => losses.softmaxCrossEntropy(model.apply(p, x), y),
 *   data: train,
 *   epochs: 5,
 *   batchSize: 128,
 *   onEpochEnd: (s) => save(io.saveTrainState(s)),
 * });
 * @category IO
 */
export function saveTrainState<P, S>(state: TrainState<Saveable<P>, Saveable<S>>, metadata: Metadata = {}): Uint8Array {
  const op = "io.saveTrainState";
  checkCount(op, "epoch", state.epoch);
  checkCount(op, "step", state.step);
  for (const k of Object.keys(metadata)) {
    if (k.startsWith(PREFIX)) throw new TypeError(`${op}: metadata key "${k}" is reserved (keys starting "${PREFIX}" hold the state's counts)`);
  }
  const tree = state.key === undefined ? { params: state.params, optState: state.optState } : { params: state.params, optState: state.optState, key: state.key };
  return saveSafetensors(tree as never, { ...metadata, [KIND]: KIND_VALUE, [EPOCH]: String(state.epoch), [STEP]: String(state.step) });
}

/**
 * The training state in `bytes`, checked leaf by leaf against `like` (templates or specs of the
 * parameters and the optimizer state, e.g. `{ params: model.init(key), optState: opt.init(params) }`)
 * as `io.loadSafetensors` checks; a file that is not a training state, or whose counts are
 * damaged, is a `Left` too.
 * @example
 * const params = nn.dense(784, 10).init(random.key(0));
 * const opt = optim.adam(1e-3);
 * declare const bytes: Uint8Array; // written by io.saveTrainState
 * const resumed = io.loadTrainState(bytes, { params, optState: opt.init(params) }); // Either<IoError, TrainState<…>>
 * @category IO
 */
export function loadTrainState<const P, const S>(
  bytes: Bytes,
  like: { readonly params: Template<P>; readonly optState: Template<S> },
): E.Either<IoError, TrainState<Loaded<P>, Loaded<S>>> {
  const op = "io.loadTrainState";
  const fail = (why: string) => E.left(new IoError(`${op}: ${why}`));
  const parsed = parseSafetensors(op, bytes);
  if (E.isLeft(parsed)) return parsed;
  const file = parsed.right;
  if (file.metadata[KIND] !== KIND_VALUE) {
    const found = file.metadata[KIND] === undefined ? "no" : `"${file.metadata[KIND]}" as`;
    return fail(`not a typegrad training state (${found} metadata "${KIND}"; expected "${KIND_VALUE}")`);
  }
  const epoch = readCount(file.metadata[EPOCH]);
  const step = readCount(file.metadata[STEP]);
  if (epoch === null) return fail(`metadata "${EPOCH}" must be a whole number, got ${JSON.stringify(file.metadata[EPOCH])}`);
  if (step === null) return fail(`metadata "${STEP}" must be a whole number, got ${JSON.stringify(file.metadata[STEP])}`);
  const template: unknown = { params: like.params, optState: like.optState, ...(file.entries.has("key") ? { key: spec([2], "int32") } : {}) };
  const loaded = loadParsed<unknown>(op, file, template) as E.Either<IoError, { params: Loaded<P>; optState: Loaded<S>; key?: Key }>;
  if (E.isLeft(loaded)) return loaded;
  const { params, optState, key } = loaded.right;
  return E.right(key === undefined ? { params, optState, epoch, step } : { params, optState, key, epoch, step });
}

function checkCount(op: string, what: string, n: number): void {
  if (!(Number.isSafeInteger(n) && n >= 0)) throw new RangeError(`${op}: ${what} must be a whole number, got ${n}`);
}

/** A decimal count as written by `saveTrainState`, or null. */
function readCount(s: string | undefined): number | null {
  if (s === undefined || !/^(0|[1-9][0-9]{0,15})$/.test(s)) return null;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : null;
}
