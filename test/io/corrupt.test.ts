/**
 * @file Damaged and hostile files: each is a `Left` whose message says what is wrong, never a
 * throw and never a wrong tensor. A fuzz run mutates valid files at random to the same end.
 */
import { describe, expect, test } from "vitest";
import * as E from "fp-ts/lib/Either.js";
import fc from "fast-check";
import { io, ones, tensor, zeros } from "../../src/index.js";

/** A file from a header written by hand (any JSON text) and data bytes. */
function file(header: string, data: ArrayLike<number> = [], declared?: number): Uint8Array {
  const json = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + json.length + data.length);
  const view = new DataView(out.buffer);
  const n = declared ?? json.length;
  view.setUint32(0, n % 2 ** 32, true);
  view.setUint32(4, Math.floor(n / 2 ** 32), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const entry = (dtype: string, shape: unknown, offsets: unknown) => `{"dtype":${JSON.stringify(dtype)},"shape":${JSON.stringify(shape)},"data_offsets":${JSON.stringify(offsets)}}`;
const refused = (bytes: Uint8Array, like: unknown = {}) => {
  const r = io.loadSafetensors(bytes, like as never);
  if (E.isRight(r)) return "accepted";
  expect(r.left).toBeInstanceOf(io.IoError);
  return r.left.message;
};
const read = (bytes: Uint8Array) => {
  const r = io.readSafetensors(bytes);
  return E.isRight(r) ? "accepted" : r.left.message;
};

describe("damaged headers", () => {
  test("a header length absurdly large, or larger than the file", () => {
    expect(read(file("{}", [], 2 ** 40))).toMatch(/header length 1099511627776 exceeds the 100000000 bytes readers accept/);
    expect(read(file("{}", [], 2 ** 53 + 2 ** 40))).toMatch(/exceeds/);
    expect(read(file("{}", [], 50))).toMatch(/declared as 50 bytes but the file has only 2/);
  });
  test("a header larger than its declared size: the JSON is cut off", () => {
    const h = `{"a":${entry("F32", [1], [0, 4])}}`;
    expect(read(file(h, [0, 0, 0, 0], h.length - 3))).toMatch(/the header is not valid JSON \(unexpected end of the header \(expected ","\) at character 51; it must fill exactly its declared 51 bytes\)/);
  });
  test("not an object, a byte-order mark, too deep, a duplicate name", () => {
    expect(read(file("[]"))).toMatch(/the header must be a JSON object/);
    expect(read(file("\ufeff{}"))).toMatch(/not valid JSON \(unexpected character U\+FEFF at character 0/);
    expect(read(file(`{"x":${"[".repeat(100)}${"]".repeat(100)}}`))).toMatch(/nesting deeper than 64/);
    const dup = `{"a":${entry("F32", [1], [0, 4])},"a":${entry("I32", [1], [0, 4])}}`;
    expect(read(file(dup, [0, 0, 0, 0]))).toMatch(/duplicate key "a" at character \d+/);
  });
  test("malformed entries", () => {
    expect(read(file(`{"a":[1]}`))).toMatch(/tensor "a": its entry must be an object/);
    expect(read(file(`{"a":${entry("F32", [2.0], [0, 8])}}`.replace("[2]", "[2.0]"), new Array(8).fill(0)))).toMatch(/tensor "a": shape must be an array of non-negative integers, got \[2\.0\]/);
    expect(read(file(`{"a":${entry("F32", [-2], [0, 8])}}`, new Array(8).fill(0)))).toMatch(/shape must be an array of non-negative integers, got \[-2\]/);
    expect(read(file(`{"a":${entry("F32", "2", [0, 8])}}`, new Array(8).fill(0)))).toMatch(/shape must be an array of non-negative integers, got "2"/);
    expect(read(file(`{"a":${entry("F32", [2], [0, 4, 8])}}`, new Array(8).fill(0)))).toMatch(/data_offsets must be two non-negative integers/);
    expect(read(file(`{"a":{"shape":[1],"data_offsets":[0,4]}}`, [0, 0, 0, 0]))).toMatch(/tensor "a": dtype must be a string, got nothing/);
    expect(read(file(`{"a":${entry("F32", [1e6, 1e6, 1e6], [0, 4])}}`, [0, 0, 0, 0]))).toMatch(/more elements than a tensor can hold/);
  });
  test("metadata that is not a string map", () => {
    expect(read(file(`{"__metadata__":{"n":3}}`))).toMatch(/"__metadata__" value "n" is not a string/);
    expect(read(file(`{"__metadata__":"x"}`))).toMatch(/"__metadata__" must be an object of strings/);
  });
  test("string escapes: names written with \\u escapes (pairs too) match; a lone surrogate does not", () => {
    const e = entry("F32", [1], [0, 4]);
    const r = io.loadSafetensors(file(`{"caf\\u00e9":${e}}`, [0, 0, 128, 63]), { café: zeros([1]) });
    expect(E.isRight(r) && r.right.café.item()).toBe(1);
    const pair = io.readSafetensors(file(`{"\\ud83d\\ude00\\n\\"":${e}}`, [0, 0, 128, 63]));
    expect(E.isRight(pair) && [...pair.right.tensors.keys()]).toEqual(['😀\n"']);
    expect(read(file(`{"\\ud800":${e}}`, [0, 0, 128, 63]))).toMatch(/unpaired surrogate escape/);
    expect(read(file(`{"a\\x":${e}}`, [0, 0, 128, 63]))).toMatch(/malformed escape at character 3/);
    expect(read(file(`{"a\tb":${e}}`, [0, 0, 128, 63]))).toMatch(/control character in a string/);
  });
  test("extra fields in an entry are ignored, as the reference reader ignores them", () => {
    const h = `{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"note":[1.5]}}`;
    expect(read(file(h, [0, 0, 128, 63]))).toBe("accepted");
  });
});

describe("dtypes", () => {
  test("a dtype the format does not define", () => {
    expect(read(file(`{"a":${entry("Q4", [2], [0, 2])}}`, [0, 0]))).toMatch(/tensor "a": dtype "Q4" is not a safetensors dtype/);
  });
  test.each(["F16", "BF16", "I64", "U8", "F8_E4M3", "C64"])("%s: defined by the format, but typegrad cannot hold it", (d) => {
    expect(read(file(`{"a":${entry(d, [0], [0, 0])}}`))).toMatch(new RegExp(`dtype ${d} is a safetensors dtype typegrad cannot hold \\(it holds F32, F64, I32, BOOL\\)`));
  });
  test("a BOOL byte other than 0 or 1", () => {
    expect(read(file(`{"m":${entry("BOOL", [3], [0, 3])}}`, [1, 0, 2]))).toMatch(/tensor "m": element 2 of a BOOL tensor is the byte 2; only 0 and 1 are booleans/);
  });
});

describe("offsets", () => {
  const four = [0, 0, 128, 63];
  test("outside the buffer", () => {
    expect(read(file(`{"a":${entry("F32", [1], [0, 4])}}`))).toMatch(/data_offsets \[0, 4\] reach past the end of the 0 data bytes/);
    expect(read(file(`{"a":${entry("F32", [1], [9007199254740990, 9007199254740994])}}`, four))).toMatch(/data_offsets must be two non-negative integers/);
  });
  test("overlapping, with a hole, ending before they begin, bytes left over", () => {
    const data = new Array(12).fill(0);
    expect(read(file(`{"a":${entry("F32", [2], [0, 8])},"b":${entry("F32", [2], [4, 12])}}`, data))).toMatch(/tensor "b": data_offsets \[4, 12\] overlap those of "a" \[0, 8\]/);
    expect(read(file(`{"a":${entry("F32", [1], [0, 4])},"b":${entry("F32", [1], [8, 12])}}`, data))).toMatch(/data bytes \[4, 8\) belong to no tensor \(before "b"\)/);
    expect(read(file(`{"a":${entry("F32", [1], [8, 4])}}`, data))).toMatch(/data_offsets \[8, 4\] end before they begin/);
    expect(read(file(`{"a":${entry("F32", [2], [0, 8])}}`, data))).toMatch(/4 bytes after the last tensor's data/);
  });
  test("entries listed out of data order are read as the reference reads them", () => {
    const h = `{"b":${entry("F32", [1], [4, 8])},"a":${entry("F32", [1], [0, 4])}}`;
    const r = io.loadSafetensors(file(h, [0, 0, 128, 63, 0, 0, 0, 64]), { a: zeros([1]), b: zeros([1]) });
    expect(E.isRight(r) && [r.right.a.item(), r.right.b.item()]).toEqual([1, 2]);
  });
  test("a name such as __proto__ is only a name", () => {
    const bytes = io.saveSafetensors({ ["__proto__"]: ones([1]), constructor: zeros([1]) });
    const r = io.loadSafetensors(bytes, JSON.parse('{"__proto__":0,"constructor":0}', (k, v) => (k === "" ? v : zeros([1]))));
    expect(E.isRight(r) && Object.getOwnPropertyNames(r.right).sort()).toEqual(["__proto__", "constructor"]);
    expect(E.isRight(r) && Object.getPrototypeOf(r.right)).toBe(Object.prototype);
  });
});

describe("fuzz: mutated files never throw and never give a tensor unlike the template", () => {
  const like = { w: zeros([2, 3]), b: { v: zeros([3], "int32"), m: zeros([2], "bool") }, s: zeros([], "float64") };
  const valid = io.saveSafetensors({ w: tensor([[1, 2, 3], [4, 5, 6]]), b: { v: tensor([7, 8, 9], "int32"), m: tensor([true, false]) }, s: tensor(0.5, "float64") }, { k: "v" });
  const headerEnd = 8 + new DataView(valid.buffer).getUint32(0, true);

  const check = (bytes: Uint8Array) => {
    const r = io.loadSafetensors(bytes, like);
    if (E.isLeft(r)) {
      expect(r.left).toBeInstanceOf(io.IoError);
      return;
    }
    expect([r.right.w.shape, r.right.w.dtype, r.right.b.v.dtype, r.right.b.m.shape, r.right.s.shape]).toEqual([[2, 3], "float32", "int32", [2], []]);
    for (const m of r.right.b.m.data()) expect(m === 0 || m === 1).toBe(true);
  };

  test("byte changes anywhere in the header or length", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: headerEnd - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), (edits) => {
        const bytes = valid.slice();
        for (const [at, b] of edits) bytes[at] = b;
        check(bytes);
      }),
      { numRuns: 400, seed: 12 },
    );
  });
  test("truncations, extensions and changes in the data", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: valid.length + 8 }), fc.integer({ min: 0, max: 255 }), (cut, b) => {
        const bytes = new Uint8Array(cut);
        bytes.set(valid.subarray(0, Math.min(cut, valid.length)));
        if (cut > valid.length) bytes.fill(b, valid.length);
        else if (cut > headerEnd) bytes[cut - 1] = b;
        check(bytes);
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});
