/**
 * @file Weights kept in the browser (IndexedDB): one record per model kind, its safetensors
 * bytes with what the page shows about it. The bytes are checked against the model again when
 * they come back (models.fromBytes), as any file is: a store written by an older page is no
 * more trusted than a download.
 */
import type { Kind } from "./models.js";

const DB = "typegrad-web";
const STORE = "weights";

/** One saved model. */
export interface Saved {
  readonly kind: Kind;
  /** The safetensors file. */
  readonly bytes: Uint8Array;
  readonly savedAt: number;
  /** The training loss per step, for the plot. */
  readonly losses: readonly number[];
  readonly stepsPerEpoch: number;
}

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "kind" });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error(`IndexedDB: cannot open ${DB}`));
  });
}

/** Runs one request in its own transaction and closes the database after. */
async function run<T>(mode: IDBTransactionMode, act: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = act(tx.objectStore(STORE));
      let result: T;
      request.onsuccess = () => (result = request.result);
      // A write is durable only once its transaction completes.
      tx.oncomplete = () => resolve(result);
      tx.onerror = () => reject(tx.error ?? new Error("IndexedDB: transaction failed"));
      tx.onabort = () => reject(tx.error ?? new Error("IndexedDB: transaction aborted"));
    });
  } finally {
    db.close();
  }
}

/** Saves (or replaces) the weights of `saved.kind`. */
export async function save(saved: Saved): Promise<void> {
  await run("readwrite", (s) => s.put(saved));
}

/** Every saved model, the most recent first. */
export async function list(): Promise<Saved[]> {
  const all = (await run("readonly", (s) => s.getAll())) as Saved[];
  return all.sort((a, b) => b.savedAt - a.savedAt);
}

/** Deletes every saved model. */
export async function forget(): Promise<void> {
  await run("readwrite", (s) => s.clear());
}
