/**
 * @file Reliability of the IDX readers against bad input: gzip bombs, truncated, corrupt and
 * overlong gzip streams, headers that disagree with their payload, and values that are not bytes.
 * Every one must come back as a `Left` (never a throw, a rejection or a wrong tensor), and a bomb
 * must stop inflating at the size its header declares. All files are built here.
 */
import { describe, expect, test } from "vitest";
import * as E from "fp-ts/lib/Either.js";
import { gzipSync } from "fflate";
import type { AnyTensor } from "../../src/core/ops.js";
import { data } from "../../src/index.js";
import { GZIP_SLICE_BYTES } from "../../src/data/gzip.js";

type T = AnyTensor;

// ---- building files ----

/** An IDX header for element type `code` and `shape`, followed by `payload`. */
function idx(code: number, shape: readonly number[], payload: ArrayLike<number> = []): Uint8Array {
  const header = 4 + 4 * shape.length;
  const bytes = new Uint8Array(header + payload.length);
  const view = new DataView(bytes.buffer);
  bytes[2] = code;
  bytes[3] = shape.length;
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  bytes.set(payload, header);
  return bytes;
}

/** Writes DEFLATE's bit stream: values least significant bit first, Huffman codes most first. */
class BitWriter {
  private bytes: Uint8Array;
  private bit = 0;
  constructor(capacity: number) {
    this.bytes = new Uint8Array(capacity);
  }
  value(v: number, n: number): void {
    for (let i = 0; i < n; i++, this.bit++) this.bytes[this.bit >> 3] |= ((v >> i) & 1) << (this.bit & 7);
  }
  code(c: number, n: number): void {
    for (let i = n - 1; i >= 0; i--, this.bit++) this.bytes[this.bit >> 3] |= ((c >> i) & 1) << (this.bit & 7);
  }
  done(): Uint8Array {
    return this.bytes.slice(0, (this.bit + 7) >> 3);
  }
}

/**
 * A gzip member whose one fixed-Huffman block spells out `prefix` and then `258 · matches` more
 * zeros (a literal zero, then matches of length 258 at distance 1): a few bytes per 1,300 inflated
 * ones. The trailer is left zero: a reader that checks it only gets there after inflating it all.
 */
function zerosBomb(prefix: Uint8Array, matches: number): Uint8Array {
  const w = new BitWriter(64 + 2 * prefix.length + Math.ceil((13 * matches) / 8));
  w.value(1, 1); // BFINAL
  w.value(1, 2); // BTYPE 01: fixed Huffman codes (RFC 1951 §3.2.6)
  for (const b of [...prefix, 0]) {
    if (b < 144) w.code(0x30 + b, 8);
    else w.code(0x190 + b - 144, 9);
  }
  for (let i = 0; i < matches; i++) {
    w.code(0xc5, 8); // length symbol 285: 258 bytes, no extra bits
    w.code(0, 5); // distance symbol 0: distance 1
  }
  w.code(0, 7); // end of block
  const body = w.done();
  const out = new Uint8Array(10 + body.length + 8);
  out.set([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
  out.set(body, 10);
  return out;
}

/** Decodes with a counter of the bytes the inflater produced. */
async function decodeCounting(bytes: Uint8Array, options: data.DecodeIdxOptions = {}) {
  let inflated = 0;
  const result = await data.decodeIdx(bytes, { ...options, onInflate: (n) => (inflated += n) });
  return { result, inflated };
}

function leftMessage<A>(r: E.Either<Error, A>): string {
  if (E.isRight(r)) throw new Error("expected a Left, got a Right");
  expect(r.left).toBeInstanceOf(data.IoError);
  return r.left.message;
}

/** A deterministic pseudo-random byte sequence (so it does not compress away). */
function noise(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}

const MNIST_IMAGES = [60000, 28, 28];
const MNIST_BYTES = 16 + 60000 * 28 * 28;
/** The most one slice of compressed input can inflate to (DEFLATE's ratio is at most 1032:1). */
const ONE_SLICE = GZIP_SLICE_BYTES * 1032;

// ---- bombs ----

describe("gzip bombs stop at the declared size", () => {
  test("an MNIST-sized header followed by 256 MiB more zeros than it declares", async () => {
    const matches = Math.ceil((MNIST_BYTES + 256 * 2 ** 20) / 258);
    const bomb = zerosBomb(idx(0x08, MNIST_IMAGES).subarray(0, 16), matches);
    expect(bomb.length).toBeLessThan(2 * 2 ** 20); // under 2 MiB of gzip…
    const { result, inflated } = await decodeCounting(bomb, { name: "bomb.gz" });
    expect(leftMessage(result)).toMatch(/^IDX \(bomb\.gz\): inflates to more than the 47040016 bytes its header declares \(shape \[60000, 28, 28\] of unsigned bytes\); stopped after \d+$/);
    // …that would inflate to over 300 MB; the decoder stopped within one slice of the declared size.
    expect(inflated).toBeGreaterThan(MNIST_BYTES);
    expect(inflated).toBeLessThanOrEqual(MNIST_BYTES + ONE_SLICE);
  });

  test("a header declaring 2^31 elements is refused as soon as the header has inflated", async () => {
    const bomb = zerosBomb(idx(0x08, [65536, 32768]), 100_000);
    const { result, inflated } = await decodeCounting(bomb);
    expect(leftMessage(result)).toBe("IDX: inflated data: shape [65536, 32768] has 2147483648 elements, more than a typed array holds (2147483647)");
    expect(inflated).toBeLessThanOrEqual(ONE_SLICE);
  });

  test("a header declaring more bytes than maxBytes is refused before its payload inflates", async () => {
    const doubles = zerosBomb(idx(0x0e, [2 ** 28]), 100_000); // 2 GiB of doubles, above the 1 GiB default
    const big = await decodeCounting(doubles);
    expect(leftMessage(big.result)).toBe(
      `IDX: header declares shape [${2 ** 28}] of doubles, ${8 + 2 ** 31} bytes, more than the limit of ${data.IDX_MAX_BYTES} (raise maxBytes to accept it)`,
    );
    expect(big.inflated).toBeLessThanOrEqual(ONE_SLICE);
    const small = await data.decodeIdx(gzipSync(idx(0x08, [100], noise(100))), { maxBytes: 50 });
    expect(leftMessage(small)).toMatch(/108 bytes, more than the limit of 50/);
  });
});

// ---- broken gzip ----

describe("broken gzip streams", () => {
  const file = idx(0x08, [300, 100], noise(30000));
  const gz = gzipSync(file);

  test("truncated anywhere: in the header, the DEFLATE data or the trailer", async () => {
    expect(leftMessage(await data.decodeIdx(gz.slice(0, 12)))).toBe("IDX: gzip: truncated: 12 bytes, fewer than the 18 of a gzip header and trailer");
    expect(leftMessage(await data.decodeIdx(gz.slice(0, gz.length >> 1)))).toMatch(/^IDX: gzip: truncated: the compressed data ends inside the DEFLATE stream \(after \d+ inflated bytes\)$/);
    for (const cut of [1, 4, 8, 9]) expect(leftMessage(await data.decodeIdx(gz.slice(0, gz.length - cut)))).toMatch(/^IDX: gzip/);
  });

  test("corrupt DEFLATE data or a trailer that does not match", async () => {
    const badBlock = gz.slice();
    badBlock[10] |= 0b110; // BTYPE 11 is reserved
    expect(leftMessage(await data.decodeIdx(badBlock))).toBe("IDX: gzip data is corrupt (invalid block type) after 0 inflated bytes");
    const badCrc = gz.slice();
    badCrc[gz.length - 8] ^= 0xff;
    expect(leftMessage(await data.decodeIdx(badCrc))).toMatch(/^IDX: gzip data is corrupt or truncated: the trailer ending at byte \d+ says CRC-32 [0-9A-F]{8} and 30012 bytes, the data inflates to CRC-32 [0-9A-F]{8} and 30012 bytes$/);
    const badSize = gz.slice();
    badSize[gz.length - 4] ^= 1;
    expect(leftMessage(await data.decodeIdx(badSize))).toMatch(/says CRC-32 [0-9A-F]{8} and 30013 bytes/);
    const badMethod = gz.slice();
    badMethod[2] = 7;
    expect(leftMessage(await data.decodeIdx(badMethod))).toBe("IDX: gzip: compression method 7 is not DEFLATE (8)");
  });

  test("trailing garbage after the gzip data", async () => {
    for (const extra of [1, 3, 4, 5, 100]) {
      const garbage = new Uint8Array([...gz, ...noise(extra, 3).map((b) => b | 1)]);
      expect(leftMessage(await data.decodeIdx(garbage, { name: "x.gz" }))).toBe(
        `IDX (x.gz): gzip: ${extra} bytes that are not gzip data follow the member ending at byte ${gz.length} of ${gz.length + extra}`,
      );
    }
  });

  test("concatenated members are one stream (RFC 1952): a split file decodes, a doubled one is too long", async () => {
    const split = new Uint8Array([...gzipSync(file.subarray(0, 1000)), ...gzipSync(file.subarray(1000))]);
    const t = await data.decodeIdx(split);
    expect(E.isRight(t) && Array.from((t.right as unknown as T).data())).toEqual(Array.from(file.subarray(12)));
    const twice = new Uint8Array([...gz, ...gz]);
    expect(leftMessage(await data.decodeIdx(twice))).toMatch(/^IDX: inflates to more than the 30012 bytes its header declares \(shape \[300, 100\] of unsigned bytes\); stopped after \d+$/);
    const first = gzipSync(file.subarray(0, 1000));
    const badFirstCrc = new Uint8Array([...first, ...gzipSync(file.subarray(1000))]);
    badFirstCrc[first.length - 8] ^= 1;
    expect(leftMessage(await data.decodeIdx(badFirstCrc))).toMatch(`gzip data is corrupt or truncated: the trailer ending at byte ${first.length} says CRC-32`);
  });
});

// ---- header and payload disagree ----

describe("header/payload mismatches inside a gzip", () => {
  test.each([
    ["payload one byte short", idx(0x08, [2, 3], [1, 2, 3, 4, 5]), "IDX: inflates to 17 bytes, but its header declares shape [2, 3] of unsigned bytes, 18 bytes (truncated)"],
    ["payload one byte long", idx(0x08, [2, 3], [1, 2, 3, 4, 5, 6, 7]), "IDX: inflates to more than the 18 bytes its header declares (shape [2, 3] of unsigned bytes); stopped after 19"],
    ["half a float", idx(0x0d, [1], [0x3f, 0x80]), "IDX: inflates to 10 bytes, but its header declares shape [1] of floats, 12 bytes (truncated)"],
    ["bad magic", new Uint8Array([1, 0, 8, 0, 7]), "IDX: inflated data: magic number must start with two zero bytes, got 0x01 0x00"],
    ["unknown type", new Uint8Array([0, 0, 0x42, 1, 0, 0, 0, 1, 9]), "IDX: inflated data: unknown element type code 0x42 (expected 0x08, 0x09, 0x0B, 0x0C, 0x0D or 0x0E)"],
    ["negative dim", idx(0x08, [0xffffffff]), "IDX: inflated data: dim 0 is negative (-1)"],
    ["short header", new Uint8Array([0, 0, 8, 3, 0, 0, 0, 1]), "IDX: inflated data: header of a rank-3 file needs 16 bytes, file has 8"],
    ["nothing inside", new Uint8Array(0), "IDX: inflated data: file has 0 bytes, fewer than the 4-byte magic number"],
  ])("%s", async (_name, file, message) => {
    expect(leftMessage(await data.decodeIdx(gzipSync(file)))).toBe(message);
  });
});

// ---- not bytes at all ----

describe("values that are not bytes give a Left, never a throw", () => {
  const notBytes: [string, unknown][] = [
    ["null", null],
    ["undefined", undefined],
    ["number", 42],
    ["string", "\u0000\u0000\u0008\u0000"],
    ["Array", [0, 0, 8, 0]],
    ["ArrayBuffer", new ArrayBuffer(4)],
    ["Int8Array", new Int8Array(4)],
  ];
  test.each(notBytes)("%s", async (kind, value) => {
    const expected = `IDX: expected the file's bytes as a Uint8Array, got ${kind}`;
    expect(leftMessage(data.parseIdx(value as never))).toBe(expected);
    expect(leftMessage(await data.decodeIdx(value as never))).toBe(expected);
  });
  test("mnistFromDigitArrays", () => {
    expect(leftMessage(data.mnistFromDigitArrays(null as never))).toBe("mnist: expected an array of 10 digit classes, got null");
    expect(leftMessage(data.mnistFromDigitArrays(undefined as never))).toBe("mnist: expected an array of 10 digit classes, got undefined");
  });
});

// ---- good files still decode ----

describe("valid files decode to the right tensor, gzipped or not", () => {
  const pixels = noise(60 * 28 * 28, 7);
  const images = idx(0x08, [60, 28, 28], pixels);
  const shorts = (() => {
    const values = Array.from({ length: 40001 }, (_, i) => ((i * 7919) % 65536) - 32768);
    const bytes = new Uint8Array(2 * values.length);
    const view = new DataView(bytes.buffer);
    values.forEach((v, i) => view.setInt16(2 * i, v, false));
    return { values, file: idx(0x0b, [values.length], bytes) };
  })();

  test.each([
    ["plain", (f: Uint8Array) => f],
    ["gzipped", (f: Uint8Array) => gzipSync(f)],
    ["gzipped with a file name and level 0 (stored blocks)", (f: Uint8Array) => gzipSync(f, { level: 0, filename: "digits.idx" })],
    ["a Node Buffer", (f: Uint8Array) => Buffer.from(gzipSync(f))],
  ])("%s", async (_name, wrap) => {
    const t = await data.decodeIdx(wrap(images));
    expect(E.isRight(t)).toBe(true);
    if (E.isRight(t)) {
      expect([t.right.shape, t.right.dtype]).toEqual([[60, 28, 28], "int32"]);
      expect(Array.from((t.right as unknown as T).data())).toEqual(Array.from(pixels));
    }
    // Shorts across many inflated chunks: an element may straddle two chunks.
    const s = await data.decodeIdx(wrap(shorts.file));
    expect(E.isRight(s) && Array.from((s.right as unknown as T).data())).toEqual(shorts.values);
  });

  test("a zero-size and a rank-0 file", async () => {
    const empty = await data.decodeIdx(gzipSync(idx(0x0d, [0, 5])));
    expect(E.isRight(empty) && [empty.right.shape, empty.right.dtype]).toEqual([[0, 5], "float32"]);
    const scalar = await data.decodeIdx(gzipSync(idx(0x0e, [], [0x40, 0x09, 0x21, 0xfb, 0x54, 0x44, 0x2d, 0x18])));
    expect(E.isRight(scalar) && (scalar.right as unknown as T).toArray()).toBe(Math.PI);
  });
});
