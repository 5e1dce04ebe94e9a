/**
 * @file A strict JSON reader for safetensors headers (RFC 8259). `JSON.parse` would do, but it
 * keeps the last of two equal keys without a word, and the format forbids duplicates: with two
 * entries for one tensor, which one is meant? Objects come back as `Map`s (so a key such as
 * `__proto__` is only a key) and numbers that are not plain non-negative integers as
 * `JsonNumber`, since sizes and offsets must be exactly such integers.
 */

/** A JSON number that is not a non-negative integer below 2^53 (kept as its text). */
export class JsonNumber {
  constructor(readonly text: string) {}
}

/** A parsed JSON value. */
export type Json = null | boolean | number | JsonNumber | string | Json[] | Map<string, Json>;

/** Deeper nesting than any header needs is refused rather than risking the call stack. */
const MAX_DEPTH = 64;

/** Parses `text` as one JSON value; returns the value or a message naming the position of the fault. */
export function parseJson(text: string): { ok: true; value: Json } | { ok: false; error: string } {
  try {
    const reader = new Reader(text);
    reader.space();
    const value = reader.value(0);
    reader.space();
    if (reader.pos !== text.length) reader.fail("unexpected text after the JSON value");
    return { ok: true, value };
  } catch (e) {
    if (e instanceof JsonFault) return { ok: false, error: e.message };
    throw e;
  }
}

class JsonFault extends Error {}

class Reader {
  pos = 0;
  constructor(private readonly text: string) {}

  fail(what: string): never {
    throw new JsonFault(`${what} at character ${this.pos}`);
  }

  space(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return;
      this.pos++;
    }
  }

  value(depth: number): Json {
    if (depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH}`);
    const c = this.text[this.pos];
    if (c === "{") return this.object(depth);
    if (c === "[") return this.array(depth);
    if (c === '"') return this.string();
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return this.number();
    for (const [word, v] of [["true", true], ["false", false], ["null", null]] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return v;
      }
    }
    return this.fail(c === undefined ? "unexpected end of the header" : `unexpected character ${showChar(this.text.codePointAt(this.pos)!)}`);
  }

  private object(depth: number): Map<string, Json> {
    const out = new Map<string, Json>();
    this.pos++;
    this.space();
    if (this.text[this.pos] === "}") {
      this.pos++;
      return out;
    }
    for (;;) {
      if (this.text[this.pos] !== '"') this.fail("expected a string key");
      const at = this.pos;
      const key = this.string();
      if (out.has(key)) {
        this.pos = at;
        this.fail(`duplicate key ${JSON.stringify(key)}`);
      }
      this.space();
      this.expect(":");
      this.space();
      out.set(key, this.value(depth + 1));
      this.space();
      if (this.text[this.pos] === "}") {
        this.pos++;
        return out;
      }
      this.expect(",");
      this.space();
    }
  }

  private array(depth: number): Json[] {
    const out: Json[] = [];
    this.pos++;
    this.space();
    if (this.text[this.pos] === "]") {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value(depth + 1));
      this.space();
      if (this.text[this.pos] === "]") {
        this.pos++;
        return out;
      }
      this.expect(",");
      this.space();
    }
  }

  private expect(c: string): void {
    if (this.pos >= this.text.length) this.fail(`unexpected end of the header (expected ${JSON.stringify(c)})`);
    if (this.text[this.pos] !== c) this.fail(`expected ${JSON.stringify(c)}, got ${showChar(this.text.codePointAt(this.pos)!)}`);
    this.pos++;
  }

  private number(): number | JsonNumber {
    const m = /^-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.text.slice(this.pos, this.pos + 400));
    if (m === null) return this.fail("malformed number");
    this.pos += m[0].length;
    const plain = m[0][0] !== "-" && m[1] === undefined && m[2] === undefined;
    if (plain && m[0].length <= 16 && Number.isSafeInteger(Number(m[0]))) return Number(m[0]);
    return new JsonNumber(m[0]);
  }

  private string(): string {
    const t = this.text;
    this.pos++;
    let out = "";
    let start = this.pos;
    for (;;) {
      if (this.pos >= t.length) this.fail("unterminated string");
      const c = t.charCodeAt(this.pos);
      if (c === 0x22) {
        out += t.slice(start, this.pos);
        this.pos++;
        break;
      }
      if (c < 0x20) this.fail("control character in a string");
      if (c !== 0x5c) {
        this.pos++;
        continue;
      }
      out += t.slice(start, this.pos);
      out += this.escape();
      start = this.pos;
    }
    // A lone surrogate (only reachable through \u escapes: the text came from valid UTF-8) names
    // no character; Rust's reader refuses it too.
    if (/\p{Cs}/u.test(out)) this.fail("string with an unpaired surrogate escape");
    return out;
  }

  private escape(): string {
    const e = this.text[this.pos + 1];
    this.pos += 2;
    switch (e) {
      case '"':
      case "\\":
      case "/":
        return e;
      case "b":
        return "\b";
      case "f":
        return "\f";
      case "n":
        return "\n";
      case "r":
        return "\r";
      case "t":
        return "\t";
      case "u": {
        const hex = this.text.slice(this.pos, this.pos + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail("malformed \\u escape");
        this.pos += 4;
        return String.fromCharCode(parseInt(hex, 16));
      }
      default:
        this.pos -= 2;
        return this.fail("malformed escape");
    }
  }
}

/** A character for a message: printable ASCII quoted, anything else by its code point. */
function showChar(cp: number): string {
  return cp >= 0x20 && cp < 0x7f ? JSON.stringify(String.fromCodePoint(cp)) : `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`;
}
