/**
 * @file Checks of user-supplied numbers and options at construction time (optimizers, schedules,
 * losses, transforms), so that a bad value fails where it was written instead of turning into NaN
 * many steps later. A value of the wrong kind is a `TypeError`, a number outside its interval a
 * `RangeError`; every message names the op, the parameter, what was expected and what came.
 */

/** An interval of accepted numbers; `Infinity` as `hi` with `hiOpen` means "any finite number above `lo`". */
export interface Interval {
  readonly lo: number;
  readonly hi: number;
  readonly loOpen?: boolean;
  readonly hiOpen?: boolean;
}

/** [0, 1): decay rates and momentum coefficients (1 would never forget, NaN would poison every step). */
export const unitInterval: Interval = { lo: 0, hi: 1, hiOpen: true };
/** (0, ∞), finite: epsilons, norms, step counts. */
export const positive: Interval = { lo: 0, hi: Infinity, loOpen: true, hiOpen: true };
/** [0, ∞), finite: learning rates, weight decay, accumulators. */
export const nonNegative: Interval = { lo: 0, hi: Infinity, hiOpen: true };
/** Any finite number. */
export const finite: Interval = { lo: -Infinity, hi: Infinity, loOpen: true, hiOpen: true };

/** How a value reads in an error message: strings quoted, objects as JSON where possible. */
export function showValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (value === null || value === undefined) return String(value);
  if (typeof value === "function") return "a function";
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function showInterval({ lo, hi, loOpen, hiOpen }: Interval): string {
  if (lo === -Infinity && hi === Infinity) return "a finite number";
  const left = `${loOpen ? "(" : "["}${lo}`;
  const right = hi === Infinity ? "∞)" : `${hi}${hiOpen ? ")" : "]"}`;
  return `a ${hi === Infinity || lo === -Infinity ? "finite " : ""}number in ${left}, ${right}`;
}

/** `value` as a number in `interval`, or a `TypeError`/`RangeError` saying `op: name must be …, got …`. */
export function checkNumber(op: string, name: string, value: unknown, interval: Interval = finite): number {
  if (typeof value !== "number") {
    throw new TypeError(`${op}: ${name} must be ${showInterval(interval)}, got ${typeof value} ${showValue(value)}`);
  }
  const { lo, hi, loOpen, hiOpen } = interval;
  // Written so that NaN fails every comparison and lands in the error.
  const aboveLo = loOpen ? value > lo : value >= lo;
  const belowHi = hiOpen ? value < hi : value <= hi;
  if (!(aboveLo && belowHi && Number.isFinite(value))) {
    throw new RangeError(`${op}: ${name} must be ${showInterval(interval)}, got ${value}`);
  }
  return value;
}

/** `value` as a boolean, or a `TypeError` naming `op` and `name`. */
export function checkBoolean(op: string, name: string, value: unknown): boolean {
  if (typeof value !== "boolean") throw new TypeError(`${op}: ${name} must be true or false, got ${typeof value} ${showValue(value)}`);
  return value;
}

/** `value` as a plain object (an options bag), or a `TypeError` naming `op` and `name`. */
export function checkOptions(op: string, name: string, value: unknown): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TypeError(`${op}: ${name} must be an options object, got ${showValue(value)}`);
  }
  return value as Record<string, unknown>;
}

/** `value` as one of `names`, or a `TypeError` (not a string) / `RangeError` (unknown name) listing them. */
export function checkName<const N extends string>(op: string, name: string, value: unknown, names: readonly N[]): N {
  const valid = names.map((n) => JSON.stringify(n)).join(", ");
  if (typeof value !== "string") throw new TypeError(`${op}: ${name} must be one of ${valid}, got ${typeof value} ${showValue(value)}`);
  if (!names.includes(value as N)) throw new RangeError(`${op}: ${name} must be one of ${valid}, got ${showValue(value)}`);
  return value as N;
}

/**
 * Positions given by the user (`argnums`, `donate`), already checked by `checkPositionsShape`
 * when the transform was made (kinds, signs, repeats), against the arity of a call: each must be
 * below it, or a `RangeError` names `op` and `name`. On every call, so it allocates nothing for a
 * list of positions.
 */
export function checkPositions(op: string, name: string, value: unknown, arity: number): readonly number[] {
  const list = (Array.isArray(value) ? value : [value]) as readonly number[];
  for (let i = 0; i < list.length; i++) {
    const p = list[i];
    if (p >= arity) {
      const where = Array.isArray(value) ? `${name}[${i}]` : name;
      throw new RangeError(`${op}: ${where} = ${p} is out of range for ${arity} argument${arity === 1 ? "" : "s"} (valid: 0 to ${arity - 1})`);
    }
  }
  return list;
}

/** Checks what can be checked of positions before the arity is known: kinds, integers, duplicates. */
export function checkPositionsShape(op: string, name: string, value: unknown): void {
  if (typeof value !== "number" && !Array.isArray(value)) {
    throw new TypeError(`${op}: ${name} must be an integer position or an array of them, got ${typeof value} ${showValue(value)}`);
  }
  // Before the arity is known: kinds, integers, signs and duplicates.
  const list = Array.isArray(value) ? (value as unknown[]) : [value];
  list.forEach((p, i) => {
    const what = Array.isArray(value) ? `${name}[${i}]` : name;
    if (typeof p !== "number") throw new TypeError(`${op}: ${what} must be an integer position, got ${typeof p} ${showValue(p)}`);
    if (!Number.isInteger(p)) throw new RangeError(`${op}: ${what} must be an integer position, got ${p}`);
    if (p < 0) throw new RangeError(`${op}: ${what} must be a position ≥ 0, got ${p}`);
    if (list.indexOf(p) !== i) throw new RangeError(`${op}: ${name} names position ${p} twice: ${showValue(value)}`);
  });
}
