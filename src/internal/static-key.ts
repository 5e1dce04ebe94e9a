/**
 * @file Cache-key text for JS values, equal exactly when the values are (by `Object.is`,
 * recursively): `jit`'s static arguments, the compiler's CSE and kernel keys. Internal.
 */

/**
 * The cache-key text of a value: two values get the same text exactly when `Object.is` holds
 * between them (recursively for plain arrays and objects), so a cache keyed on it (a jit trace,
 * a CSE entry, a compiled kernel) is never reused for another value. `JSON.stringify` is not
 * enough: it writes NaN and ±Infinity as `null`, −0 as `0`, drops `undefined`, and cannot tell
 * `1` from `"1"` inside a joined key. Each kind gets its own tag; strings are JSON-quoted so separators cannot collide.
 * Other objects (class instances, functions, symbols) are keyed by identity.
 */
export function staticKey(value: unknown): string {
  switch (typeof value) {
    case "number":
      // String(-0) is "0"; NaN and ±Infinity print as themselves.
      return Object.is(value, -0) ? "n-0" : `n${value}`;
    case "string":
      return `s${JSON.stringify(value)}`;
    case "boolean":
      return value ? "T" : "F";
    case "undefined":
      return "u";
    case "bigint":
      return `i${value}`;
    case "object":
      if (value === null) return "z";
      if (Array.isArray(value)) return `[${value.map(staticKey).join(",")}]`;
      if (isPlainRecord(value)) {
        return `{${Object.keys(value)
          .map((k) => `${JSON.stringify(k)}:${staticKey((value as Record<string, unknown>)[k])}`)
          .join(",")}}`;
      }
      return `#${identityOf(value)}`;
    default:
      return `#${identityOf(value as object | symbol)}`;
  }
}

function isPlainRecord(x: object): boolean {
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

// Identity numbers for statics compared by reference; symbols cannot be WeakMap keys everywhere.
const objectIds = new WeakMap<object, number>();
const symbolIds = new Map<symbol, number>();
let nextId = 0;

function identityOf(x: object | symbol): number {
  const ids = typeof x === "symbol" ? symbolIds : objectIds;
  let id = (ids as Map<object | symbol, number>).get(x);
  if (id === undefined) (ids as Map<object | symbol, number>).set(x, (id = nextId++));
  return id;
}
