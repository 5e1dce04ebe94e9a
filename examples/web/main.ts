/**
 * @file The page: draw a digit and see the model's probabilities as you draw; train the model in
 * a worker (progress bar, live loss plot); keep the weights in IndexedDB, download them, or load
 * a `.safetensors` file, each checked against the model before it is used.
 *
 * The page's state shows in `data-*` attributes of <body> (`weights`: untrained, trained,
 * browser or file; `training`: idle, loading, running, done, stopped or failed; `stored`: saving,
 * "saved mlp" or failed; `file`: loaded or rejected) as well as in words, so that the browser test
 * knows when to look at what a person sees.
 */
import * as E from "fp-ts/lib/Either.js";
import { setKernelThreads } from "../../src/index.js";
import { DrawingPad, showImage } from "./draw.js";
import { classify, fromBytes, initial, isKind, titles, toBytes, type Kind, type Weights } from "./models.js";
import { drawLosses } from "./plot.js";
import { toMnist } from "./preprocess.js";
import type { WorkerMessage, WorkerRequest } from "./protocol.js";
import * as store from "./store.js";
import type { TrainRequest } from "./training.js";

// One image at a time is too little work to share: the worker gets the cores.
setKernelThreads(1);

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`page: no element #${id}`);
  return el as T;
};
const ui = {
  pad: $<HTMLCanvasElement>("pad"),
  seen: $<HTMLCanvasElement>("seen"),
  clear: $<HTMLButtonElement>("clear"),
  prediction: $("prediction"),
  bars: $("bars"),
  using: $("using"),
  kind: $<HTMLSelectElement>("kind"),
  trainSize: $<HTMLInputElement>("train-size"),
  epochs: $<HTMLInputElement>("epochs"),
  shifts: $<HTMLInputElement>("shifts"),
  train: $<HTMLButtonElement>("train"),
  stop: $<HTMLButtonElement>("stop"),
  progress: $<HTMLProgressElement>("progress"),
  trainStatus: $("train-status"),
  plot: $<HTMLCanvasElement>("loss-plot"),
  save: $<HTMLButtonElement>("save"),
  load: $<HTMLButtonElement>("load"),
  forget: $<HTMLButtonElement>("forget"),
  download: $<HTMLButtonElement>("download"),
  file: $<HTMLInputElement>("file"),
  stored: $("stored"),
  fileError: $("file-error"),
};

/** What the prediction uses, where it came from (shown under the bars), and the file's metadata. */
interface Current {
  readonly weights: Weights;
  readonly source: "untrained" | "trained" | "browser" | "file";
  readonly about: string;
  readonly metadata: Readonly<Record<string, string>>;
}
let current: Current = { weights: initial("mlp"), source: "untrained", about: "untrained (random) weights: train the model or load weights", metadata: {} };
const run = { losses: [] as number[], stepsPerEpoch: 0, totalSteps: 0 };
let worker: Worker | null = null;
let lastEpoch = 0;

// ---- predicting ----

const pad = new DrawingPad(ui.pad, predict);
const bars = Array.from({ length: 10 }, (_, d) => {
  const row = document.createElement("div");
  row.className = "bar";
  row.innerHTML = `<span class="digit">${d}</span><span class="track"><span class="fill"></span></span><span class="pct"></span>`;
  ui.bars.append(row);
  return { row, fill: row.querySelector<HTMLElement>(".fill")!, pct: row.querySelector<HTMLElement>(".pct")! };
});

function predict(): void {
  const { values, width, height } = pad.ink();
  const image = toMnist(values, width, height);
  showImage(ui.seen, image);
  const p = image === null ? null : classify(current.weights, image);
  const best = p === null ? -1 : p.indexOf(Math.max(...p));
  ui.prediction.textContent = best < 0 ? "–" : String(best);
  ui.prediction.dataset.digit = best < 0 ? "" : String(best);
  bars.forEach((b, d) => {
    const v = p?.[d] ?? 0;
    b.fill.style.width = `${(100 * v).toFixed(1)}%`;
    b.pct.textContent = p === null ? "" : `${(100 * v).toFixed(1)}%`;
    b.row.classList.toggle("best", d === best);
  });
}

function use(next: Current): void {
  current = next;
  document.body.dataset.weights = next.source;
  ui.using.textContent = `${titles[next.weights.kind]}: ${next.about}`;
  predict();
}

// ---- training ----

function setTraining(state: "idle" | "loading" | "running" | "done" | "stopped" | "failed", text: string): void {
  document.body.dataset.training = state;
  ui.trainStatus.textContent = text;
  const busy = state === "loading" || state === "running";
  ui.train.disabled = busy;
  ui.stop.disabled = !busy;
}

function request(): TrainRequest {
  const kind = ui.kind.value;
  return {
    kind: isKind(kind) ? kind : "mlp",
    epochs: ui.epochs.valueAsNumber,
    trainSize: ui.trainSize.valueAsNumber,
    testSize: 1000,
    shifts: ui.shifts.checked,
    batchSize: 64,
    learningRate: 2e-3,
  };
}

let plotQueued = false;
function redrawPlot(): void {
  if (plotQueued) return;
  plotQueued = true;
  requestAnimationFrame(() => {
    plotQueued = false;
    drawLosses(ui.plot, run.losses, run.stepsPerEpoch, run.totalSteps);
  });
}

function startTraining(): void {
  worker?.terminate();
  const r = request();
  // NB: a module worker from the page's own server: the digits and the code never leave it.
  worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
  worker.onmessage = (e: MessageEvent<WorkerMessage>) => onReport(e.data, r);
  worker.onerror = (e) => setTraining("failed", `the worker failed: ${e.message}`);
  run.losses = [];
  lastEpoch = 0;
  ui.progress.value = 0;
  setTraining("loading", "loading the digits…");
  worker.postMessage({ type: "train", request: r } satisfies WorkerRequest);
}

function onReport(m: WorkerMessage, r: TrainRequest): void {
  switch (m.type) {
    case "loading":
      return setTraining("loading", `loading the ${m.what}…`);
    case "start":
      run.totalSteps = m.steps;
      run.stepsPerEpoch = m.steps / r.epochs;
      ui.progress.max = m.steps;
      redrawPlot();
      return setTraining(
        "running",
        `training the ${titles[m.kind]} on ${m.trainDigits} digits${m.examples > m.trainDigits ? ` (${m.examples} with shifted copies)` : ""}, ${m.steps} steps; ${m.testDigits} held out`,
      );
    case "step":
      run.losses.push(m.loss);
      ui.progress.value = run.losses.length;
      redrawPlot();
      return setTraining("running", `epoch ${m.epoch} of ${r.epochs}, step ${m.step} of ${m.stepsPerEpoch}: loss ${m.loss.toFixed(3)}`);
    case "epoch": {
      lastEpoch = m.epoch;
      // The worker's bytes are checked like any file before the page uses them.
      const loaded = fromBytes(m.bytes, r.kind);
      if (E.isLeft(loaded)) return setTraining("failed", loaded.left.message);
      const about = `trained here for ${m.epoch} of ${m.epochs} epochs; held-out accuracy ${pct(m.accuracy)}`;
      return use({ ...loaded.right, source: "trained", about });
    }
    case "done":
      worker?.terminate();
      worker = null;
      setTraining("done", `done: ${current.about.replace(/^trained here for /, "")}`);
      void saveInBrowser();
      return;
    case "error":
      worker?.terminate();
      worker = null;
      return setTraining("failed", m.message);
  }
}

function stopTraining(): void {
  worker?.terminate();
  worker = null;
  setTraining("stopped", lastEpoch > 0 ? `stopped; the weights after epoch ${lastEpoch} are in use` : "stopped before the first epoch ended; the weights are unchanged");
}

// ---- keeping weights ----

async function saveInBrowser(): Promise<void> {
  document.body.dataset.stored = "saving";
  try {
    await store.save({ kind: current.weights.kind, bytes: toBytes(current.weights, current.metadata), savedAt: Date.now(), losses: run.losses, stepsPerEpoch: run.stepsPerEpoch });
    showStored(`saved in this browser (IndexedDB): ${titles[current.weights.kind]}`);
    document.body.dataset.stored = `saved ${current.weights.kind}`;
  } catch (e) {
    showStored(`cannot save in this browser: ${message(e)}`);
    document.body.dataset.stored = "failed";
  }
}

/** Loads the most recently saved weights; `quiet` when there are none is not worth a word. */
async function loadFromBrowser(quiet: boolean): Promise<void> {
  try {
    const [saved] = await store.list();
    if (saved === undefined) return quiet ? undefined : showStored("nothing saved in this browser yet");
    const loaded = fromBytes(saved.bytes, saved.kind);
    if (E.isLeft(loaded)) return showStored(`the saved weights do not fit the model: ${loaded.left.message}`);
    run.losses = saved.losses.slice();
    run.stepsPerEpoch = saved.stepsPerEpoch;
    run.totalSteps = saved.losses.length;
    drawLosses(ui.plot, run.losses, run.stepsPerEpoch, run.totalSteps);
    const accuracy = loaded.right.metadata.accuracy;
    const about = `loaded from this browser (IndexedDB), saved ${new Date(saved.savedAt).toLocaleString()}${accuracy ? `; held-out accuracy ${pct(Number(accuracy))}` : ""}`;
    use({ ...loaded.right, source: "browser", about });
    if (document.body.dataset.training === "idle") setTraining("idle", `the loss curve of the saved run (${run.losses.length} steps)`);
    showStored(`loaded the weights saved in this browser (IndexedDB): ${titles[loaded.right.weights.kind]}, ${saved.bytes.length} bytes`);
  } catch (e) {
    showStored(`cannot read this browser's storage: ${message(e)}`);
  }
}

async function loadFile(file: File): Promise<void> {
  const fallback: Kind = isKind(ui.kind.value) ? ui.kind.value : "mlp";
  const loaded = fromBytes(new Uint8Array(await file.arrayBuffer()), fallback);
  if (E.isLeft(loaded)) {
    ui.fileError.textContent = `${file.name}: ${loaded.left.message}`;
    document.body.dataset.file = "rejected";
    return;
  }
  ui.fileError.textContent = "";
  document.body.dataset.file = "loaded";
  use({ ...loaded.right, source: "file", about: `loaded from ${file.name}` });
}

function download(): void {
  const bytes = toBytes(current.weights, current.metadata);
  const a = document.createElement("a");
  a.href = URL.createObjectURL(new Blob([bytes as BlobPart], { type: "application/octet-stream" }));
  a.download = `typegrad-${current.weights.kind}.safetensors`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

function showStored(text: string): void {
  ui.stored.textContent = text;
}

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

// ---- wiring ----

ui.clear.onclick = () => pad.clear();
ui.train.onclick = startTraining;
ui.stop.onclick = stopTraining;
ui.save.onclick = () => void saveInBrowser();
ui.load.onclick = () => void loadFromBrowser(false);
ui.forget.onclick = () =>
  void store.forget().then(
    () => showStored("nothing saved in this browser"),
    (e) => showStored(`cannot clear this browser's storage: ${message(e)}`),
  );
ui.download.onclick = download;
ui.file.onchange = () => {
  const file = ui.file.files?.[0];
  if (file !== undefined) void loadFile(file);
  ui.file.value = "";
};

setTraining("idle", "not trained yet");
use(current);
drawLosses(ui.plot, [], 0, 0);
void loadFromBrowser(true).then(() => (document.body.dataset.ready = "true"));
