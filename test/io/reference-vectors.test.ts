/**
 * @file Interop with the safetensors reference implementation, byte for byte. PyTorch 1.13 on
 * Debian has no safetensors loader and the Python package cannot be installed here, so the
 * expected bytes are the test vectors of the reference itself: huggingface/safetensors,
 * `safetensors/src/tensor.rs` (commit 24b0b28, module `tests`), each test named beside its copy.
 * What its writer produces, ours must produce; what its reader accepts, ours must read to the
 * same tensor; what it refuses, ours must refuse (as a `Left`).
 */
import { describe, expect, test } from "vitest";
import * as E from "fp-ts/lib/Either.js";
import { io, tensor } from "../../src/index.js";

/** Bytes from a Rust byte-string literal's text (`\xNN` escapes, the rest ASCII). */
function rustBytes(s: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "\\" && s[i + 1] === "x") {
      out.push(parseInt(s.slice(i + 2, i + 4), 16));
      i += 3;
    } else out.push(s.charCodeAt(i));
  }
  return Uint8Array.from(out);
}

const f32 = (values: number[], shape: number[]) => tensor(values).reshape(shape as never);

describe("the reference writer's vectors: our bytes are identical", () => {
  test("test_serialization: attn.0, F32 [1, 2, 3] holding 0..5", () => {
    // prettier-ignore
    const expected = [
      64, 0, 0, 0, 0, 0, 0, 0, 123, 34, 97, 116, 116, 110, 46, 48, 34, 58, 123, 34, 100,
      116, 121, 112, 101, 34, 58, 34, 70, 51, 50, 34, 44, 34, 115, 104, 97, 112, 101, 34,
      58, 91, 49, 44, 50, 44, 51, 93, 44, 34, 100, 97, 116, 97, 95, 111, 102, 102, 115,
      101, 116, 115, 34, 58, 91, 48, 44, 50, 52, 93, 125, 125, 0, 0, 0, 0, 0, 0, 128, 63,
      0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0, 160, 64,
    ];
    const t = f32([0, 1, 2, 3, 4, 5], [1, 2, 3]);
    // The tree path attn → [0] is the reference's name "attn.0".
    expect([...io.saveSafetensors({ attn: [t] })]).toEqual(expected);
  });

  test("test_serialization_forced_alignement: attn0, F32 [1, 1, 2, 3], header padded with spaces", () => {
    // prettier-ignore
    const expected = [
      72, 0, 0, 0, 0, 0, 0, 0, 123, 34, 97, 116, 116, 110, 48, 34, 58, 123, 34, 100, 116,
      121, 112, 101, 34, 58, 34, 70, 51, 50, 34, 44, 34, 115, 104, 97, 112, 101, 34, 58,
      91, 49, 44, 49, 44, 50, 44, 51, 93, 44, 34, 100, 97, 116, 97, 95, 111, 102, 102,
      115, 101, 116, 115, 34, 58, 91, 48, 44, 50, 52, 93, 125, 125, 32, 32, 32, 32, 32,
      32, 32, 0, 0, 0, 0, 0, 0, 128, 63, 0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0,
      160, 64,
    ];
    expect([...io.saveSafetensors({ attn0: f32([0, 1, 2, 3, 4, 5], [1, 1, 2, 3]) })]).toEqual(expected);
  });

  test("test_empty: no tensors, without and with metadata", () => {
    expect([...io.saveSafetensors({})]).toEqual([8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32]);
    // prettier-ignore
    const withMetadata = [
      40, 0, 0, 0, 0, 0, 0, 0, 123, 34, 95, 95, 109, 101, 116, 97, 100, 97, 116, 97, 95,
      95, 34, 58, 123, 34, 102, 114, 97, 109, 101, 119, 111, 114, 107, 34, 58, 34, 112,
      116, 34, 125, 125, 32, 32, 32, 32, 32,
    ];
    expect([...io.saveSafetensors({}, { framework: "pt" })]).toEqual(withMetadata);
  });

  test("our reader reads the writer's vectors back", () => {
    const bytes = io.saveSafetensors({ attn: [f32([0, 1, 2, 3, 4, 5], [1, 2, 3])] });
    const back = io.readSafetensors(bytes);
    expect(E.isRight(back) && back.right.tensors.get("attn.0")!.toArray()).toEqual([[[0, 1, 2], [3, 4, 5]]]);
    const meta = io.readMetadata(io.saveSafetensors({}, { framework: "pt" }));
    expect(E.isRight(meta) && { ...meta.right }).toEqual({ framework: "pt" });
  });
});

describe("the reference reader's vectors", () => {
  const read = (s: string) => io.readSafetensors(rustBytes(s));
  const tensors = (s: string) => {
    const r = read(s);
    if (E.isLeft(r)) throw r.left;
    return [...r.right.tensors].map(([name, t]) => ({ name, dtype: t.dtype, shape: t.shape, values: Array.from(t.data()) }));
  };
  const refused = (s: string) => {
    const r = read(s);
    return E.isLeft(r) ? r.left.message : "accepted";
  };

  test("test_deserialization: I32 [2, 2] of zeros", () => {
    const s = '<\\x00\\x00\\x00\\x00\\x00\\x00\\x00{"test":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]}}' + "\\x00".repeat(16);
    expect(tensors(s)).toEqual([{ name: "test", dtype: "int32", shape: [2, 2], values: [0, 0, 0, 0] }]);
  });

  test("test_empty_shapes_allowed: a 0-d I32", () => {
    const s = '8\\x00\\x00\\x00\\x00\\x00\\x00\\x00{"test":{"dtype":"I32","shape":[],"data_offsets":[0,4]}}\\x00\\x00\\x00\\x00';
    expect(tensors(s)).toEqual([{ name: "test", dtype: "int32", shape: [], values: [0] }]);
  });

  test("test_zero_sized_tensor: I32 [2, 0] with no data", () => {
    const s = '<\\x00\\x00\\x00\\x00\\x00\\x00\\x00{"test":{"dtype":"I32","shape":[2,0],"data_offsets":[0, 0]}}';
    expect(tensors(s)).toEqual([{ name: "test", dtype: "int32", shape: [2, 0], values: [] }]);
  });

  test("test_whitespace_padded_header and test_whitespace_leading_padded_header", () => {
    expect(tensors("\\x06\\x00\\x00\\x00\\x00\\x00\\x00\\x00{}\\x0D\\x20\\x09\\x0A")).toEqual([]);
    expect(tensors("\\x06\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x09\\x0A{}\\x0D\\x20")).toEqual([]);
  });

  test("test_metadata_incomplete_buffer: bytes after the data, and data cut short", () => {
    const header = '<\\x00\\x00\\x00\\x00\\x00\\x00\\x00{"test":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]}}';
    expect(refused(header + "\\x00".repeat(16) + "extra_bogus_data_for_polyglot_file")).toMatch(/34 bytes after the last tensor's data/);
    expect(refused(header + "\\x00".repeat(14))).toMatch(/data_offsets \[0, 16\] reach past the end of the 14 data bytes/);
  });

  test("test_header_too_large, test_header_too_small, test_invalid_header_length", () => {
    const big = '<\\x00\\x00\\x00\\x00\\xff\\xff\\xff{"test":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]}}' + "\\x00".repeat(16);
    expect(refused(big)).toMatch(/header length \d+ exceeds the 100000000 bytes/);
    expect(refused("")).toMatch(/0 bytes are too few/);
    expect(refused("<\\x00\\x00\\x00\\x00\\x00\\x00\\x00")).toMatch(/declared as 60 bytes but the file has only 0/);
  });

  test("test_invalid_header_non_utf8 and test_invalid_header_not_json", () => {
    expect(refused("\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\xff")).toMatch(/not valid UTF-8/);
    expect(refused("\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00{")).toMatch(/not valid JSON/);
  });

  test("test_invalid_info: offsets that do not match shape and dtype", () => {
    const s = '<\\x00\\x00\\x00\\x00\\x00\\x00\\x00{"test":{"dtype":"I32","shape":[2,2],"data_offsets":[0, 4]}}';
    expect(refused(s)).toMatch(/tensor "test": shape \[2, 2\] of I32 takes 16 bytes, but data_offsets \[0, 4\] hold 4/);
  });

  test("test_validation_overflow: shapes whose sizes overflow", () => {
    const a = 'O\\x00\\x00\\x00\\x00\\x00\\x00\\x00{"test":{"dtype":"I32","shape":[2,18446744073709551614],"data_offsets":[0,16]}}' + "\\x00".repeat(16);
    const b = 'N\\x00\\x00\\x00\\x00\\x00\\x00\\x00{"test":{"dtype":"I32","shape":[2,9223372036854775807],"data_offsets":[0,16]}}' + "\\x00".repeat(16);
    expect(refused(a)).toMatch(/tensor "test": shape must be an array of non-negative integers, got \[2, 18446744073709551614\]/);
    expect(refused(b)).toMatch(/tensor "test": shape must be an array of non-negative integers/);
  });

  test("test_json_attack: ten tensors on the same bytes", () => {
    const entries = Array.from({ length: 10 }, (_, i) => `"weight_${i}":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}`);
    const json = `{${entries.join(",")}}`;
    const bytes = new Uint8Array(8 + json.length + 16);
    new DataView(bytes.buffer).setUint32(0, json.length, true);
    bytes.set(new TextEncoder().encode(json), 8);
    const r = io.readSafetensors(bytes);
    expect(E.isLeft(r) && r.left.message).toMatch(/tensor "weight_\d": data_offsets \[0, 16\] overlap those of "weight_\d" \[0, 16\]/);
  });
});
