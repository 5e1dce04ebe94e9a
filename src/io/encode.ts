/**
 * @file Writing a tree of tensors as a safetensors file: an 8-byte little-endian header length,
 * the JSON header (`{"name":{"dtype":"F32","shape":[…],"data_offsets":[begin,end]},…}`, padded
 * with spaces to a multiple of 8 bytes as the reference writer does), then every tensor's bytes,
 * back to back. Same input, same bytes: names and metadata keys are written in a fixed order.
 */
import type { AnyTensor } from "../core/ops.js";
import { Tensor, TraceError } from "../core/tensor.js";
import { writeElements } from "./elements.js";
import { compareForWriting, ELEMENT_BYTES, FORMAT_NAME, LENGTH_BYTES, MAX_HEADER_BYTES, METADATA_KEY, compareCodePoints } from "./format.js";
import { namedLeaves, type LeavesOf } from "./tree-paths.js";

/**
 * `T` if it is a tree whose leaves are all tensors (records, arrays, `null`, `undefined` around
 * them), else a type `T` does not satisfy: a number leaf fails to compile with "Type 'number' is
 * not assignable to type 'NotATensor'" at that leaf.
 * @category IO
 */
export type TensorTreeOf<T> = LeavesOf<T, AnyTensor, NotATensor>;

/**
 * What a save function's tree parameter is: `T` itself when it is a tree of tensors, else the
 * tree with the offending leaves replaced by `NotATensor`, so the compile error points at them.
 * (A conditional, not `T & TensorTreeOf<T>`: that intersection collapses to `never` and names nothing.)
 * @category IO
 */
export type Saveable<T> = T extends TensorTreeOf<T> ? T : TensorTreeOf<T>;

/**
 * The type-level error for a leaf that is not a tensor: only tensors are saved.
 * @category IO
 */
export type NotATensor = "io: this leaf is not a tensor (only tensors are saved)";

/**
 * Free-form metadata stored in the header: string keys to string values.
 * @category IO
 */
export type Metadata = Readonly<Record<string, string>>;

/**
 * The safetensors bytes of `tree`: each tensor named by its path in the tree (`"0.w"`,
 * `"encoder.layers.1.b"`), dtypes float32/float64/int32/bool as F32/F64/I32/BOOL, and `metadata`
 * as the header's `__metadata__`. Tensors must be concrete (not traced inside `jit`/`vmap`);
 * a leaf that is not a tensor, or two leaves sharing a name, is a `TypeError`.
 * @example
 * const params = nn.dense(784, 10).init(random.key(0));
 * const bytes = io.saveSafetensors(params, { epoch: "5" }); // Uint8Array, ready for a file or IndexedDB
 * @category IO
 */
export function saveSafetensors<T>(tree: Saveable<T>, metadata?: Metadata): Uint8Array {
  const op = "io.saveSafetensors";
  const named = namedLeaves(op, tree, isTensor, "tensor");
  const entries = named.map(({ name, leaf }) => {
    if (name === METADATA_KEY) throw new TypeError(`${op}: a tensor may not be named "${METADATA_KEY}": the format keeps that name for metadata`);
    checkText(op, "tensor name", name);
    const c = leaf.concrete();
    if (c === null) throw new TraceError(`${op}: "${name}" is traced inside jit or vmap; save concrete values (return them from the transformed function first)`);
    return { name, dtype: leaf.dtype, shape: leaf.shape, data: c };
  });
  entries.sort(compareForWriting);

  let offset = 0;
  const fields: string[] = [];
  if (metadata !== undefined) fields.push(`${JSON.stringify(METADATA_KEY)}:${metadataJson(op, metadata)}`);
  const placed = entries.map((e) => {
    const begin = offset;
    offset += e.data.storage.length * ELEMENT_BYTES[e.dtype];
    fields.push(`${JSON.stringify(e.name)}:{"dtype":"${FORMAT_NAME[e.dtype]}","shape":[${e.shape.join(",")}],"data_offsets":[${begin},${offset}]}`);
    return { begin, data: e.data };
  });
  const json = new TextEncoder().encode(`{${fields.join(",")}}`);
  const headerBytes = Math.ceil(json.length / LENGTH_BYTES) * LENGTH_BYTES;
  if (headerBytes > MAX_HEADER_BYTES) {
    throw new RangeError(`${op}: the header would take ${headerBytes} bytes; readers refuse more than ${MAX_HEADER_BYTES}`);
  }
  const start = LENGTH_BYTES + headerBytes;
  const out = allocateFile(op, start + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, headerBytes % 2 ** 32, true);
  view.setUint32(4, Math.floor(headerBytes / 2 ** 32), true);
  out.set(json, LENGTH_BYTES);
  out.fill(0x20, LENGTH_BYTES + json.length, start);
  for (const { begin, data } of placed) writeElements(view, start + begin, data.dtype, data.storage);
  return out;
}

function isTensor(x: unknown): x is AnyTensor {
  return x instanceof Tensor;
}

/** The metadata object as JSON with sorted keys (the reference keeps a hash map: any order is valid). */
function metadataJson(op: string, metadata: Metadata): string {
  if (typeof metadata !== "object" || metadata === null || Array.isArray(metadata)) {
    throw new TypeError(`${op}: metadata must be a record of strings, got ${metadata === null ? "null" : typeof metadata}`);
  }
  const keys = Object.keys(metadata).sort(compareCodePoints);
  return `{${keys
    .map((k) => {
      const v: unknown = metadata[k];
      if (typeof v !== "string") throw new TypeError(`${op}: metadata "${k}" must be a string (the format allows only strings), got ${typeof v}`);
      checkText(op, "metadata key", k);
      checkText(op, `metadata "${k}"`, v);
      return `${JSON.stringify(k)}:${JSON.stringify(v)}`;
    })
    .join(",")}}`;
}

/** A lone surrogate has no UTF-8 encoding: other readers would refuse the header, so refuse it here. */
function checkText(op: string, what: string, s: string): void {
  if (/\p{Cs}/u.test(s)) throw new TypeError(`${op}: ${what} ${JSON.stringify(s)} holds an unpaired surrogate, which UTF-8 cannot encode`);
}

function allocateFile(op: string, bytes: number): Uint8Array {
  try {
    return new Uint8Array(bytes);
  } catch (e) {
    if (e instanceof RangeError) throw new RangeError(`${op}: ${bytes} bytes do not fit in one buffer on this engine`);
    throw e;
  }
}
