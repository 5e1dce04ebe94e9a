/**
 * @file The IDX file format (as MNIST ships): a big-endian header (two zero bytes, a type code,
 * the rank, then one int32 per dim) followed by the elements. Gzipped files are recognised by
 * their magic bytes and inflated as a stream (`gzip.ts`), checked against the header as the bytes
 * arrive. Every malformation gives a `Left` with an `IoError`; nothing throws and no tensor is ever
 * wrong.
 */
import * as E from "fp-ts/lib/Either.js";
import { ConcreteTensor } from "../core/concrete.js";
import type { Tensor } from "../core/tensor.js";
import type { DType } from "../dtype.js";
import { product } from "../shape/arith.js";
import { IoError } from "./errors.js";
import { gunzipInto, isGzip } from "./gzip.js";

/**
 * What an IDX file decodes to: integer types become int32, floats keep their width.
 * @category Data
 */
export type IdxTensor = Tensor<number[], "int32" | "float32" | "float64">;

interface ElementType {
  readonly name: string;
  readonly bytes: number;
  readonly dtype: DType;
  readonly read: (view: DataView, offset: number) => number;
}

const ELEMENT_TYPES: Record<number, ElementType> = {
  0x08: { name: "unsigned byte", bytes: 1, dtype: "int32", read: (v, o) => v.getUint8(o) },
  0x09: { name: "signed byte", bytes: 1, dtype: "int32", read: (v, o) => v.getInt8(o) },
  0x0b: { name: "short", bytes: 2, dtype: "int32", read: (v, o) => v.getInt16(o, false) },
  0x0c: { name: "int", bytes: 4, dtype: "int32", read: (v, o) => v.getInt32(o, false) },
  0x0d: { name: "float", bytes: 4, dtype: "float32", read: (v, o) => v.getFloat32(o, false) },
  0x0e: { name: "double", bytes: 8, dtype: "float64", read: (v, o) => v.getFloat64(o, false) },
};

/** The most elements a typed array holds in every engine: no header may declare more. */
const MAX_ELEMENTS = 2 ** 31 - 1;

/**
 * The largest decoded IDX file (header and elements) that `decodeIdx` inflates unless told
 * otherwise: 1 GiB. MNIST's largest file is 47 MB. Pass `maxBytes` to accept larger files.
 * @category Data
 */
export const IDX_MAX_BYTES = 2 ** 30;

/** What an IDX header declares. */
interface Header {
  readonly type: ElementType;
  readonly shape: readonly number[];
  readonly headerBytes: number;
  readonly count: number;
  /** Header plus elements: the exact length of the (decoded) file. */
  readonly fileBytes: number;
}

/**
 * The header at the start of `bytes`, or why it is malformed, or `null` when `bytes` ends before
 * the header does (a prefix of a stream: more may come).
 */
function readHeader(bytes: Uint8Array): E.Either<string, Header> | null {
  if (bytes.length < 4) return null;
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    return E.left(`magic number must start with two zero bytes, got 0x${hex(bytes[0])} 0x${hex(bytes[1])}`);
  }
  const type = ELEMENT_TYPES[bytes[2]];
  if (type === undefined) return E.left(`unknown element type code 0x${hex(bytes[2])} (expected 0x08, 0x09, 0x0B, 0x0C, 0x0D or 0x0E)`);
  const rank = bytes[3];
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, headerBytes);
  const shape: number[] = [];
  for (let i = 0; i < rank; i++) {
    const d = view.getInt32(4 + 4 * i, false);
    if (d < 0) return E.left(`dim ${i} is negative (${d})`);
    shape.push(d);
  }
  const count = product(shape);
  if (count > MAX_ELEMENTS) {
    return E.left(`shape [${shape.join(", ")}] has ${count} elements, more than a typed array holds (${MAX_ELEMENTS})`);
  }
  return E.right({ type, shape, headerBytes, count, fileBytes: headerBytes + count * type.bytes });
}

/** Why `bytes`, too short to hold a header, is not an IDX file. */
function shortHeader(bytes: Uint8Array): string {
  if (bytes.length < 4) return `file has ${bytes.length} bytes, fewer than the 4-byte magic number`;
  return `header of a rank-${bytes[3]} file needs ${4 + 4 * bytes[3]} bytes, file has ${bytes.length}`;
}

function isBytes(x: unknown): x is Uint8Array {
  // A Node Buffer is a Uint8Array too; the tag also recognises arrays made in another realm.
  return Object.prototype.toString.call(x) === "[object Uint8Array]";
}

function kindOf(x: unknown): string {
  if (x === null) return "null";
  if (typeof x !== "object") return typeof x;
  return Object.prototype.toString.call(x).slice(8, -1);
}

/** The elements after `header` in `bytes`, converted to the header's dtype. */
function decodeElements(header: Header, bytes: Uint8Array): IdxTensor {
  const { type, count, headerBytes } = header;
  const values = type.dtype === "float64" ? new Float64Array(count) : type.dtype === "float32" ? new Float32Array(count) : new Int32Array(count);
  if (type === ELEMENT_TYPES[0x08]) {
    values.set(bytes.subarray(headerBytes, headerBytes + count));
  } else {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < count; i++) values[i] = type.read(view, headerBytes + i * type.bytes);
  }
  return ConcreteTensor.wrap(values, header.shape, type.dtype) as unknown as IdxTensor;
}

/**
 * Decodes an uncompressed IDX buffer. Anything that is not a well-formed IDX file, including a
 * value that is not a `Uint8Array`, gives a `Left`.
 * @example
 * import { pipe } from "fp-ts/lib/function.js";
 * import * as E from "fp-ts/lib/Either.js";
 * declare const bytes: Uint8Array; // t10k-labels-idx1-ubyte, inflated
 * const shape = pipe(data.parseIdx(bytes), E.map((labels) => labels.shape)); // Right([10000])
 * @category Data
 */
export function parseIdx(bytes: Uint8Array): E.Either<IoError, IdxTensor> {
  return parseWith(bytes, failure(undefined));
}

/** Builds the `Left` for a malformed file, naming it when a name was given. */
function failure(name: string | undefined): (why: string) => E.Either<IoError, never> {
  return (why) => E.left(new IoError(`IDX${name === undefined ? "" : ` (${name})`}: ${why}`));
}

function parseWith(bytes: Uint8Array, fail: (why: string) => E.Either<IoError, never>): E.Either<IoError, IdxTensor> {
  if (!isBytes(bytes)) return fail(`expected the file's bytes as a Uint8Array, got ${kindOf(bytes)}`);
  if (isGzip(bytes)) return fail("file is gzipped; use decodeIdx, which inflates it");
  const header = readHeader(bytes);
  if (header === null) return fail(shortHeader(bytes));
  if (E.isLeft(header)) return fail(header.left);
  const { shape, type, fileBytes } = header.right;
  if (bytes.length !== fileBytes) {
    return fail(
      `shape [${shape.join(", ")}] of ${type.name}s needs ${fileBytes} bytes, file has ${bytes.length}` +
        (bytes.length < fileBytes ? " (truncated)" : " (trailing bytes)"),
    );
  }
  return E.right(decodeElements(header.right, bytes));
}

/**
 * How `decodeIdx` names the file, bounds it, and reports progress.
 * @category Data
 */
export interface DecodeIdxOptions {
  /** Names the file in error messages, e.g. `"train-images-idx3-ubyte.gz"`. */
  readonly name?: string;
  /** The largest decoded file (header and elements) accepted, in bytes; default `IDX_MAX_BYTES`. */
  readonly maxBytes?: number;
  /**
   * Called with the length of each inflated chunk as it arrives. Inflation stops as soon as the
   * data is known to be bad, so the lengths add up to little more than what the header declares.
   */
  readonly onInflate?: (bytes: number) => void;
}

/**
 * Decodes an IDX buffer, gzipped or not. A gzipped file is inflated as a stream: its header is
 * checked as soon as its bytes arrive, and inflation stops at the size the header declares, so a
 * small file that inflates to gigabytes (a gzip bomb) costs no more than its declared size (at most
 * `maxBytes`). Corrupt, truncated or overlong data, and trailing bytes, give a `Left` that names the
 * file; the promise never rejects.
 * @example
 * declare const bytes: Uint8Array; // t10k-images-idx3-ubyte.gz as read from disk
 * const images = await data.decodeIdx(bytes, { name: "t10k-images-idx3-ubyte.gz" }); // Right(int32[10000, 28, 28])
 * @category Data
 */
export async function decodeIdx(bytes: Uint8Array, options: DecodeIdxOptions = {}): Promise<E.Either<IoError, IdxTensor>> {
  const { name, maxBytes = IDX_MAX_BYTES, onInflate } = options ?? {};
  const fail = failure(name);
  if (!isBytes(bytes) || !isGzip(bytes)) return parseWith(bytes, fail);
  if (!(maxBytes >= 0)) return fail(`maxBytes must be a number of bytes, got ${String(maxBytes)}`);
  const chunks: Uint8Array[] = [];
  let received = 0;
  let header: Header | null = null;
  const stopped = gunzipInto(bytes, (chunk) => {
    onInflate?.(chunk.length);
    chunks.push(chunk);
    received += chunk.length;
    if (header === null) {
      const read = readHeader(concat(chunks, Math.min(received, 4 + 4 * 255)));
      if (read === null) return null;
      if (E.isLeft(read)) return `inflated data: ${read.left}`;
      header = read.right;
      if (header.fileBytes > maxBytes) {
        return `header declares shape [${header.shape.join(", ")}] of ${header.type.name}s, ${header.fileBytes} bytes, more than the limit of ${maxBytes} (raise maxBytes to accept it)`;
      }
    }
    if (received > header.fileBytes) {
      return `inflates to more than the ${header.fileBytes} bytes its header declares (shape [${header.shape.join(", ")}] of ${header.type.name}s); stopped after ${received}`;
    }
    return null;
  });
  if (stopped !== null) return fail(stopped);
  const file = concat(chunks, received);
  const done = header as Header | null;
  if (done === null) return fail(`inflated data: ${shortHeader(file)}`);
  if (received < done.fileBytes) {
    return fail(`inflates to ${received} bytes, but its header declares shape [${done.shape.join(", ")}] of ${done.type.name}s, ${done.fileBytes} bytes (truncated)`);
  }
  return E.right(decodeElements(done, file));
}

/** The first `n` bytes of `chunks` joined into one array. */
function concat(chunks: readonly Uint8Array[], n: number): Uint8Array {
  if (chunks.length > 0 && chunks[0].length >= n) return chunks[0].subarray(0, n);
  const out = new Uint8Array(n);
  let at = 0;
  for (const c of chunks) {
    if (at >= n) break;
    const part = c.subarray(0, n - at);
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * Writes a tensor as an uncompressed IDX buffer (int32 as int, float32 as float, float64 as double).
 * @category Data
 */
export function encodeIdx(t: Tensor<number[], DType>): Uint8Array {
  const c = t.concrete();
  if (c === null) throw new IoError("encodeIdx: needs a concrete tensor");
  const code = c.dtype === "float64" ? 0x0e : c.dtype === "float32" ? 0x0d : 0x0c;
  const type = ELEMENT_TYPES[code];
  const header = 4 + 4 * c.shape.length;
  const out = new Uint8Array(header + c.storage.length * type.bytes);
  const view = new DataView(out.buffer);
  out[2] = code;
  out[3] = c.shape.length;
  c.shape.forEach((d, i) => view.setInt32(4 + 4 * i, d, false));
  c.storage.forEach((v, i) => {
    const o = header + i * type.bytes;
    if (code === 0x0e) view.setFloat64(o, v, false);
    else if (code === 0x0d) view.setFloat32(o, v, false);
    else view.setInt32(o, v, false);
  });
  return out;
}

function hex(b: number): string {
  return b.toString(16).padStart(2, "0").toUpperCase();
}
