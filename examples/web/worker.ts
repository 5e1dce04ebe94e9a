/**
 * @file The training worker: fetches the digits once (static files beside the page, no network
 * beyond its own server), trains as the page asks, and posts every report back. Training is
 * synchronous here, off the page's thread, so drawing and predicting stay responsive; the page
 * stops a run by terminating the worker.
 */
import * as E from "fp-ts/lib/Either.js";
import { digitsFromIdx, IMAGES_FILE, LABELS_FILE, split } from "./digits.js";
import type { WorkerMessage, WorkerRequest } from "./protocol.js";
import { train } from "./training.js";

/** The dedicated-worker globals this file uses (the project's type checking knows only the DOM). */
const scope = globalThis as unknown as {
  onmessage: ((e: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(message: WorkerMessage, transfer?: Transferable[]): void;
};

const post = (m: WorkerMessage): void => scope.postMessage(m, m.type === "epoch" ? [m.bytes.buffer as ArrayBuffer] : []);

let digits: ReturnType<typeof load> | null = null;

async function load() {
  const fetchBytes = async (name: string) => {
    const response = await fetch(name);
    if (!response.ok) throw new Error(`cannot fetch ${name}: HTTP ${response.status} (run the page with npm run web, which writes it)`);
    return new Uint8Array(await response.arrayBuffer());
  };
  const [images, labels] = await Promise.all([fetchBytes(IMAGES_FILE), fetchBytes(LABELS_FILE)]);
  return digitsFromIdx(images, labels);
}

scope.onmessage = async (e) => {
  try {
    post({ type: "loading", what: "digits" });
    digits ??= load();
    const all = await digits;
    if (E.isLeft(all)) return post({ type: "error", message: all.left.message });
    const { request } = e.data;
    train(request, split(all.right, { train: request.trainSize, test: request.testSize }), post);
    post({ type: "done" });
  } catch (err) {
    digits = null; // a failed fetch is tried again next time
    post({ type: "error", message: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
  }
};
