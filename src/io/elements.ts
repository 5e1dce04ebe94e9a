/**
 * @file Tensor elements to and from the little-endian bytes of a safetensors file. Every access
 * goes through a `DataView` with the byte order spelled out, so the code is right on any host.
 * Floats move as their bit patterns (through 32-bit integer views of the storage), never as JS
 * numbers: widening a float32 to a double may quiet a signalling NaN, and a round trip must give
 * back every bit.
 */
import type { DType, Storage } from "../dtype.js";

/** Whether this machine stores a 32-bit word's low byte first (it decides a float64's word order). */
const HOST_LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/** Writes `storage` (of `dtype`) at `offset` of `view`, little-endian. */
export function writeElements(view: DataView, offset: number, dtype: DType, storage: Storage): void {
  const n = storage.length;
  switch (dtype) {
    case "float32": {
      const bits = new Uint32Array(storage.buffer, storage.byteOffset, n);
      for (let i = 0; i < n; i++) view.setUint32(offset + 4 * i, bits[i], true);
      return;
    }
    case "float64": {
      const words = new Uint32Array(storage.buffer, storage.byteOffset, 2 * n);
      const lo = HOST_LITTLE_ENDIAN ? 0 : 1;
      for (let i = 0; i < n; i++) {
        view.setUint32(offset + 8 * i, words[2 * i + lo], true);
        view.setUint32(offset + 8 * i + 4, words[2 * i + 1 - lo], true);
      }
      return;
    }
    case "int32":
      for (let i = 0; i < n; i++) view.setInt32(offset + 4 * i, storage[i], true);
      return;
    case "bool":
      for (let i = 0; i < n; i++) view.setUint8(offset + i, storage[i]);
      return;
  }
}

/**
 * Reads `n` elements of `dtype` at `offset` of `view` into new storage. A bool byte other than 0
 * or 1 has no meaning (typegrad's kernels assume 0/1), so it is reported by its index instead.
 */
export function readElements(view: DataView, offset: number, dtype: DType, n: number): Storage | { badBool: number; value: number } {
  switch (dtype) {
    case "float32": {
      const out = new Float32Array(n);
      const bits = new Uint32Array(out.buffer);
      for (let i = 0; i < n; i++) bits[i] = view.getUint32(offset + 4 * i, true);
      return out;
    }
    case "float64": {
      const out = new Float64Array(n);
      const words = new Uint32Array(out.buffer);
      const lo = HOST_LITTLE_ENDIAN ? 0 : 1;
      for (let i = 0; i < n; i++) {
        words[2 * i + lo] = view.getUint32(offset + 8 * i, true);
        words[2 * i + 1 - lo] = view.getUint32(offset + 8 * i + 4, true);
      }
      return out;
    }
    case "int32": {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getInt32(offset + 4 * i, true);
      return out;
    }
    case "bool": {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const b = view.getUint8(offset + i);
        if (b > 1) return { badBool: i, value: b };
        out[i] = b;
      }
      return out;
    }
  }
}
