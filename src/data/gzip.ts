/**
 * @file Bounded gzip inflation: the RFC 1952 container (header, CRC-32 and length trailer) is read
 * here, and the DEFLATE data goes through fflate's streaming decoder a small slice at a time, so the
 * consumer of the inflated bytes can stop the inflation as soon as it has seen enough. fflate is pure
 * JS, so this runs the same in browsers and Node.
 */
import { FlateErrorCode, Gunzip, type FlateError } from "fflate";

/**
 * Compressed bytes handed to the decoder at once. DEFLATE expands at most 1032:1 (a 258-byte
 * match in two bits), so one slice inflates to at most ~4 MiB: the most that is ever inflated past
 * the point where the consumer says stop.
 */
export const GZIP_SLICE_BYTES = 4096;

/** Whether `bytes` starts with the gzip magic number. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Receives each inflated chunk in order; returns a reason to stop inflating, or `null` to go on.
 * The chunk is the consumer's to keep.
 */
export type GzipConsumer = (chunk: Uint8Array) => string | null;

/**
 * Inflates the gzip file `bytes` (one member, or several concatenated, as RFC 1952 allows),
 * handing every inflated chunk to `consume`. Returns `null` when everything inflated and every
 * member's trailer matched its data, or else why not: a malformed header, corrupt or truncated
 * DEFLATE data, a CRC-32 or length that does not match, bytes after the last member, or the reason
 * `consume` gave for stopping (returned as it is).
 */
export function gunzipInto(bytes: Uint8Array, consume: GzipConsumer): string | null {
  // fflate reads the headers too, but without bounds checks: the first one is checked here.
  const start = bodyStart(bytes);
  if (typeof start === "string") return start;
  let member = { start: 0, crc: 0, size: 0 };
  let total = 0;
  let stop: string | null = null;
  const gunzip = new Gunzip((chunk) => {
    if (stop !== null || chunk.length === 0) return;
    member.crc = crc32(member.crc, chunk);
    member.size += chunk.length;
    total += chunk.length;
    stop = consume(chunk);
  });
  gunzip.onmember = (offset) => {
    stop ??= checkTrailer(bytes, member, offset);
    member = { start: offset, crc: 0, size: 0 };
  };
  try {
    for (let at = 0; at < bytes.length && stop === null; at += GZIP_SLICE_BYTES) {
      const last = Math.min(at + GZIP_SLICE_BYTES, bytes.length);
      gunzip.push(bytes.subarray(at, last), last === bytes.length);
    }
  } catch (e) {
    const code = (e as FlateError).code;
    if (code === FlateErrorCode.UnexpectedEOF) {
      return `gzip: truncated: the compressed data ends inside the DEFLATE stream (after ${total} inflated bytes)`;
    }
    if (code === FlateErrorCode.InvalidHeader) {
      // The first header was checked above, so these are bytes after a member that are not gzip.
      const end = memberEnd(bytes, member);
      if (end >= 0) return trailing(bytes, end);
    }
    return `gzip data is corrupt (${e instanceof Error ? e.message : String(e)}) after ${total} inflated bytes`;
  }
  return stop ?? checkTrailer(bytes, member, bytes.length);
}

// ---- container ----

const FHCRC = 0x02;
const FEXTRA = 0x04;
const FNAME = 0x08;
const FCOMMENT = 0x10;

/** Offset of the DEFLATE body after the gzip header (RFC 1952 §2.3), or why the header is bad. */
function bodyStart(bytes: Uint8Array): number | string {
  if (bytes.length < 18) return `gzip: truncated: ${bytes.length} bytes, fewer than the 18 of a gzip header and trailer`;
  if (!isGzip(bytes)) return "gzip: not a gzip file (magic number is not 1F 8B)";
  if (bytes[2] !== 8) return `gzip: compression method ${bytes[2]} is not DEFLATE (8)`;
  const flags = bytes[3];
  if (flags & 0xe0) return `gzip: reserved header flag bits are set (flags 0x${flags.toString(16)})`;
  let at = 10;
  if (flags & FEXTRA) at += 2 + (bytes[10] | (bytes[11] << 8));
  for (const flag of [FNAME, FCOMMENT]) {
    if (!(flags & flag)) continue;
    while (at < bytes.length && bytes[at] !== 0) at++;
    at++;
  }
  if (flags & FHCRC) at += 2;
  if (at + 8 > bytes.length) return `gzip: truncated: the header's optional fields run to byte ${at}, file has ${bytes.length}`;
  return at;
}

/** A gzip member being inflated: where it starts, and the CRC-32 and length of its data so far. */
interface Member {
  readonly start: number;
  crc: number;
  size: number;
}

/** The member's 8-byte trailer as it should read. */
function trailerOf(member: Member): Uint8Array {
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  view.setUint32(0, member.crc, true);
  view.setUint32(4, member.size % 2 ** 32, true);
  return out;
}

/** Where `member` ends (just past its trailer), found by its expected trailer; -1 if absent. */
function memberEnd(bytes: Uint8Array, member: Member): number {
  const at = indexOf(bytes, trailerOf(member), member.start);
  return at < 0 ? -1 : at + 8;
}

/**
 * Checks the trailer just before `end` (the next member's start, or the end of the file) against
 * the data `member` inflated to. When they differ and the expected trailer sits earlier, bytes
 * follow the gzip data.
 */
function checkTrailer(bytes: Uint8Array, member: Member, end: number): string | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const storedCrc = view.getUint32(end - 8, true);
  const storedSize = view.getUint32(end - 4, true);
  if (storedCrc === member.crc && storedSize === member.size % 2 ** 32) return null;
  const found = memberEnd(bytes, member);
  if (found >= 0 && found < end) {
    return trailing(bytes, found);
  }
  return (
    `gzip data is corrupt or truncated: the trailer ending at byte ${end} says CRC-32 ${hex32(storedCrc)} and ${storedSize} bytes, ` +
    `the data inflates to CRC-32 ${hex32(member.crc)} and ${member.size} bytes`
  );
}

function trailing(bytes: Uint8Array, end: number): string {
  return `gzip: ${bytes.length - end} bytes that are not gzip data follow the member ending at byte ${end} of ${bytes.length}`;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  outer: for (let i = from; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

function hex32(n: number): string {
  return n.toString(16).padStart(8, "0").toUpperCase();
}

// ---- CRC-32 ----

/** The CRC-32 of gzip (reflected polynomial 0xEDB88320), one entry per byte value. */
const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
})();

/** `crc` (of the bytes so far) extended by `chunk`. */
function crc32(crc: number, chunk: Uint8Array): number {
  let c = ~crc;
  for (let i = 0; i < chunk.length; i++) c = CRC_TABLE[(c ^ chunk[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}
