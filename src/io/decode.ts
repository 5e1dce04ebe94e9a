/**
 * @file Reading a safetensors file, checked as strictly as the reference reader (huggingface/
 * safetensors, `SafeTensors::read_metadata` and `Metadata::validate`) and a little more: the header
 * length within bounds, valid UTF-8 and strict JSON (no duplicate names), every entry a known
 * dtype with a shape whose byte size equals its `data_offsets`, the entries tiling the data
 * exactly (no overlap, no hole, nothing after the last), and bool bytes 0 or 1. Every fault is a
 * `Left` with an `IoError` naming the tensor; nothing throws and no tensor is ever wrong.
 */
import * as E from "fp-ts/lib/Either.js";
import type { AnyTensor } from "../core/ops.js";
import { fromStorage } from "../core/ops.js";
import { IoError } from "../data/errors.js";
import { MAX_ELEMENTS, type DType } from "../dtype.js";
import { readElements } from "./elements.js";
import { ELEMENT_BYTES, FORMAT_NAME, isFormatDType, LENGTH_BYTES, MAX_HEADER_BYTES, METADATA_KEY, typegradDType } from "./format.js";
import { JsonNumber, parseJson, type Json } from "./header-json.js";

/** One tensor as the header describes it; `begin`/`end` are relative to the data section. */
export interface Entry {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly begin: number;
  readonly end: number;
}

/** A file whose header passed every check: its metadata, its entries, and its data section. */
export interface Parsed {
  readonly metadata: Readonly<Record<string, string>>;
  /** Entries in the order of their data. */
  readonly entries: ReadonlyMap<string, Entry>;
  readonly data: DataView;
}

/**
 * File bytes: a `Uint8Array` (Node's `Buffer` is one) or an `ArrayBuffer`.
 * @category IO
 */
export type Bytes = Uint8Array | ArrayBuffer;

/** Parses and checks the header of `bytes`; the tensors' data is read later, by `decodeEntry`. */
export function parseSafetensors(op: string, bytes: Bytes): E.Either<IoError, Parsed> {
  const fail = (why: string) => E.left(new IoError(`${op}: ${why}`));
  if (!(bytes instanceof Uint8Array || bytes instanceof ArrayBuffer)) {
    return fail(`expected the file's bytes as a Uint8Array or ArrayBuffer, got ${bytes === null ? "null" : typeof bytes}`);
  }
  const u8 = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  if (u8.length < LENGTH_BYTES) return fail(`${u8.length} bytes are too few for a safetensors file (the header length alone takes ${LENGTH_BYTES})`);
  const view = new DataView(u8.buffer, u8.byteOffset, u8.length);
  const n = view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32;
  if (n > MAX_HEADER_BYTES) return fail(`the header length ${n} exceeds the ${MAX_HEADER_BYTES} bytes readers accept (a damaged or foreign file?)`);
  if (LENGTH_BYTES + n > u8.length) return fail(`the header is declared as ${n} bytes but the file has only ${u8.length - LENGTH_BYTES} after the length`);
  let text: string;
  try {
    // ignoreBOM keeps a byte-order mark in the text, where the JSON reader refuses it.
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(u8.subarray(LENGTH_BYTES, LENGTH_BYTES + n));
  } catch {
    return fail("the header is not valid UTF-8");
  }
  const json = parseJson(text);
  if (!json.ok) return fail(`the header is not valid JSON (${json.error}; it must fill exactly its declared ${n} bytes)`);
  if (!(json.value instanceof Map)) return fail("the header must be a JSON object");
  const dataBytes = u8.length - LENGTH_BYTES - n;
  let metadata: Record<string, string> = Object.create(null);
  const entries: Entry[] = [];
  for (const [name, value] of json.value) {
    if (name === METADATA_KEY) {
      const m = readMetadata(value);
      if (typeof m === "string") return fail(m);
      metadata = m;
      continue;
    }
    const entry = readEntry(name, value);
    if (typeof entry === "string") return fail(`tensor "${name}": ${entry}`);
    if (entry.end > dataBytes) {
      return fail(`tensor "${name}": data_offsets [${entry.begin}, ${entry.end}] reach past the end of the ${dataBytes} data bytes`);
    }
    entries.push(entry);
  }
  // JSON objects are unordered and the reference reader sorts by offset too, so entries may be
  // listed in any order; what matters is that their ranges tile the data.
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    if (e.begin < at) {
      const other = entries[i - 1];
      return fail(`tensor "${e.name}": data_offsets [${e.begin}, ${e.end}] overlap those of "${other.name}" [${other.begin}, ${other.end}]`);
    }
    if (e.begin > at) return fail(`data bytes [${at}, ${e.begin}) belong to no tensor (before "${e.name}"); the format allows no holes`);
    at = e.end;
  }
  if (at !== dataBytes) return fail(`the file has ${dataBytes - at} bytes after the last tensor's data; the format allows none`);
  return E.right({
    metadata,
    entries: new Map(entries.map((e) => [e.name, e])),
    data: new DataView(u8.buffer, u8.byteOffset + LENGTH_BYTES + n, dataBytes),
  });
}

/** The tensor of `entry`, its elements read from the data section. */
export function decodeEntry(op: string, file: Parsed, entry: Entry): E.Either<IoError, AnyTensor> {
  const count = entry.shape.reduce((a, b) => a * b, 1);
  const storage = readElements(file.data, entry.begin, entry.dtype, count);
  if ("badBool" in storage) {
    return E.left(new IoError(`${op}: tensor "${entry.name}": element ${storage.badBool} of a BOOL tensor is the byte ${storage.value}; only 0 and 1 are booleans`));
  }
  return E.right(fromStorage(storage, entry.shape, entry.dtype));
}

/** The metadata map, or why it is not one. */
function readMetadata(value: Json): Record<string, string> | string {
  if (!(value instanceof Map)) return `"${METADATA_KEY}" must be an object of strings`;
  const out: Record<string, string> = Object.create(null);
  for (const [k, v] of value) {
    if (typeof v !== "string") return `"${METADATA_KEY}" value "${k}" is not a string (the format allows only strings)`;
    out[k] = v;
  }
  return out;
}

/** One header entry checked on its own, or why it is malformed. */
function readEntry(name: string, value: Json): Entry | string {
  if (!(value instanceof Map)) return "its entry must be an object with dtype, shape and data_offsets";
  // Fields beyond these three are ignored, as the reference reader (serde, no deny_unknown_fields) does.
  const dtypeName = value.get("dtype");
  const shape = value.get("shape");
  const offsets = value.get("data_offsets");
  if (typeof dtypeName !== "string") return `dtype must be a string, got ${show(dtypeName)}`;
  const dtype = typegradDType(dtypeName);
  if (dtype === undefined) {
    const held = Object.values(FORMAT_NAME).join(", ");
    return isFormatDType(dtypeName)
      ? `dtype ${dtypeName} is a safetensors dtype typegrad cannot hold (it holds ${held})`
      : `dtype ${JSON.stringify(dtypeName)} is not a safetensors dtype`;
  }
  if (!isSizeList(shape)) return `shape must be an array of non-negative integers, got ${show(shape)}`;
  for (const d of shape) if (d > MAX_ELEMENTS) return `shape [${shape.join(", ")}] has a dim larger than a tensor can hold (${MAX_ELEMENTS})`;
  if (!isSizeList(offsets) || offsets.length !== 2) return `data_offsets must be two non-negative integers [begin, end], got ${show(offsets)}`;
  const [begin, end] = offsets;
  if (end < begin) return `data_offsets [${begin}, ${end}] end before they begin`;
  const count = elementCount(shape);
  if (count > MAX_ELEMENTS) return `shape [${shape.join(", ")}] has more elements than a tensor can hold (${MAX_ELEMENTS})`;
  const bytes = count * ELEMENT_BYTES[dtype];
  if (end - begin !== bytes) {
    return `shape [${shape.join(", ")}] of ${dtypeName} takes ${bytes} bytes, but data_offsets [${begin}, ${end}] hold ${end - begin}`;
  }
  return { name, dtype, shape, begin, end };
}

/** The element count, or a number above `MAX_ELEMENTS` as soon as the product passes it. */
function elementCount(shape: readonly number[]): number {
  if (shape.includes(0)) return 0;
  let n = 1;
  for (const d of shape) {
    n *= d;
    if (n > MAX_ELEMENTS) return n;
  }
  return n;
}

function isSizeList(x: Json | undefined): x is number[] {
  return Array.isArray(x) && x.every((d) => typeof d === "number");
}

function show(x: Json | undefined): string {
  if (x === undefined) return "nothing";
  if (x instanceof JsonNumber) return x.text;
  if (x instanceof Map) return "an object";
  if (Array.isArray(x)) return `[${x.map(show).join(", ")}]`;
  return JSON.stringify(x);
}
