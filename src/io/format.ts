/**
 * @file Facts of the safetensors format (huggingface/safetensors, `safetensors/src/tensor.rs` and
 * its README): the dtype names it defines, which of them typegrad holds, and the limits its
 * reference reader enforces. Encoding and decoding live in `encode.ts` and `decode.ts`.
 */
import type { DType } from "../dtype.js";

/** The size of the little-endian u64 that opens every file: the header's length in bytes. */
export const LENGTH_BYTES = 8;

/**
 * The reference reader refuses headers above 100 MB (its `MAX_HEADER_SIZE`): a larger declared
 * length is a damaged or hostile file, and reading one would allocate the declared size.
 */
export const MAX_HEADER_BYTES = 100_000_000;

/** The key in the header that holds the free-form string-to-string metadata. */
export const METADATA_KEY = "__metadata__";

/**
 * Every dtype name the format defines, in the reference's alignment order (its `Dtype` enum,
 * whose derived ordering the writer sorts by). Names outside this list are not safetensors.
 */
export const FORMAT_DTYPES = [
  "BOOL",
  "F4",
  "F6_E2M3",
  "F6_E3M2",
  "U8",
  "I8",
  "F8_E5M2",
  "F8_E4M3",
  "F8_E8M0",
  "F8_E4M3FNUZ",
  "F8_E5M2FNUZ",
  "I16",
  "U16",
  "F16",
  "BF16",
  "I32",
  "U32",
  "F32",
  "C64",
  "F64",
  "I64",
  "U64",
] as const;

/** A dtype name of the format. */
export type FormatDType = (typeof FORMAT_DTYPES)[number];

/** The format's name of each typegrad dtype; bool is one byte holding 0 or 1 in both. */
export const FORMAT_NAME: Record<DType, FormatDType> = {
  float32: "F32",
  float64: "F64",
  int32: "I32",
  bool: "BOOL",
};

/** Bytes per element of each typegrad dtype as stored in the file. */
export const ELEMENT_BYTES: Record<DType, number> = {
  float32: 4,
  float64: 8,
  int32: 4,
  bool: 1,
};

/** The typegrad dtype a format dtype name reads as, or `undefined` for those typegrad cannot hold. */
export function typegradDType(name: string): DType | undefined {
  switch (name) {
    case "F32":
      return "float32";
    case "F64":
      return "float64";
    case "I32":
      return "int32";
    case "BOOL":
      return "bool";
    default:
      return undefined;
  }
}

/** Whether `name` is a dtype the format defines (whether or not typegrad holds it). */
export function isFormatDType(name: string): name is FormatDType {
  return (FORMAT_DTYPES as readonly string[]).includes(name);
}

/**
 * Orders tensors as the reference writer does: larger alignment first (its enum order, reversed),
 * then by name. With the header padded to 8 bytes, every tensor's data then starts at a multiple
 * of its element size, so a reader may view it in place.
 */
export function compareForWriting(a: { name: string; dtype: DType }, b: { name: string; dtype: DType }): number {
  const rank = (d: DType) => FORMAT_DTYPES.indexOf(FORMAT_NAME[d]);
  return rank(b.dtype) - rank(a.dtype) || compareCodePoints(a.name, b.name);
}

/**
 * Compares strings by Unicode code point, which is the byte order of their UTF-8 encodings (how
 * the reference, in Rust, orders names). JS's `<` compares UTF-16 units, which differs when a
 * character above U+FFFF meets one in U+E000–U+FFFF.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}
