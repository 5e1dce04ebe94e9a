/**
 * @file The IDX file format (as MNIST ships): a big-endian header (two zero bytes, a type code,
 * the rank, then one int32 per dim) followed by the elements. Gzipped files are recognised by
 * their magic bytes and inflated with the platform's `DecompressionStream` (Node ≥ 18, browsers).
 * Every malformation gives a `Left` with an `IoError`; nothing throws and no tensor is ever wrong.
 */
import * as E from "fp-ts/lib/Either.js";
import { ConcreteTensor } from "../core/concrete.js";
import type { Tensor } from "../core/tensor.js";
import type { DType } from "../dtype.js";
import { product } from "../shape/arith.js";
import { IoError } from "./errors.js";

/** What an IDX file decodes to: integer types become int32, floats keep their width. */
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

/** The largest element count accepted (guards against absurd headers). */
const MAX_ELEMENTS = 2 ** 31 - 1;

/**
 * Decodes an uncompressed IDX buffer.
 * @example
 * pipe(parseIdx(bytes), E.map((labels) => labels.shape)); // Right([10000])
 * @category Data
 */
export function parseIdx(bytes: Uint8Array): E.Either<IoError, IdxTensor> {
  const fail = (why: string) => E.left(new IoError(`IDX: ${why}`));
  if (bytes.length < 4) return fail(`file has ${bytes.length} bytes, fewer than the 4-byte magic number`);
  if (isGzip(bytes)) return fail("file is gzipped; use decodeIdx, which inflates it");
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    return fail(`magic number must start with two zero bytes, got 0x${hex(bytes[0])} 0x${hex(bytes[1])}`);
  }
  const type = ELEMENT_TYPES[bytes[2]];
  if (type === undefined) return fail(`unknown element type code 0x${hex(bytes[2])} (expected 0x08, 0x09, 0x0B, 0x0C, 0x0D or 0x0E)`);
  const rank = bytes[3];
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) return fail(`header of a rank-${rank} file needs ${headerBytes} bytes, file has ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  for (let i = 0; i < rank; i++) {
    const d = view.getInt32(4 + 4 * i, false);
    if (d < 0) return fail(`dim ${i} is negative (${d})`);
    shape.push(d);
  }
  const count = product(shape);
  if (count > MAX_ELEMENTS) return fail(`shape [${shape.join(", ")}] has ${count} elements, more than ${MAX_ELEMENTS}`);
  const expected = headerBytes + count * type.bytes;
  if (bytes.length !== expected) {
    return fail(
      `shape [${shape.join(", ")}] of ${type.name}s needs ${expected} bytes, file has ${bytes.length}` +
        (bytes.length < expected ? " (truncated)" : " (trailing bytes)"),
    );
  }
  const values = new Float64Array(count);
  for (let i = 0; i < count; i++) values[i] = type.read(view, headerBytes + i * type.bytes);
  return E.right(ConcreteTensor.fromValues(values, shape, type.dtype) as unknown as IdxTensor);
}

/**
 * Decodes an IDX buffer, gzipped or not.
 * @category Data
 */
export async function decodeIdx(bytes: Uint8Array): Promise<E.Either<IoError, IdxTensor>> {
  if (!isGzip(bytes)) return parseIdx(bytes);
  const inflated = await gunzip(bytes);
  return E.isLeft(inflated) ? inflated : parseIdx(inflated.right);
}

/** Writes a tensor as an uncompressed IDX buffer (int32 as int, float32 as float, float64 as double). */
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

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

async function gunzip(bytes: Uint8Array): Promise<E.Either<IoError, Uint8Array>> {
  try {
    const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream("gzip"));
    return E.right(new Uint8Array(await new Response(stream).arrayBuffer()));
  } catch (e) {
    return E.left(new IoError(`IDX: gzip data is corrupt (${e instanceof Error ? e.message : String(e)})`));
  }
}

function hex(b: number): string {
  return b.toString(16).padStart(2, "0").toUpperCase();
}
