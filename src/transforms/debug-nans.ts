/**
 * @file NaN/Inf checks (JAX's `debug_nans` / `debug_infs`): while on, every primitive executed
 * eagerly, and every compiled call as a whole, has its float results scanned; the first NaN (or
 * ±Inf) raises a `NaNError`. A compiled program is not slowed down inside: only when one of its
 * results is bad is it re-run equation by equation, from the program as `makeJaxpr` prints it,
 * descending into the calls it makes, to find the equation where the value was born.
 */
import type { ConcreteTensor } from "../core/concrete.js";
import { setNanCheck, type NanCheck } from "../core/debug-state.js";
import { Printer, Var, type Atom, type Eqn, type Jaxpr, Lit } from "../core/jaxpr.js";
import type { PrimName } from "../core/primitive.js";
import { primitives } from "../core/rule-table.js";
import { isFloat } from "../dtype.js";

/**
 * A NaN or infinity appeared while NaN checks were on (`setDebugNans`, `setDebugInfs`,
 * `jit(f, { debugNans: true })`). Names the primitive, the equation as `makeJaxpr` prints it,
 * and the functions it ran in (outermost first).
 * @category Errors
 */
export class NaNError extends Error {
  /** Always `"NaNError"`, so that the error can be told apart once serialized or logged. */
  override readonly name = "NaNError";
  constructor(
    message: string,
    /** The primitive that produced the value. */
    readonly primitive: string,
    /** Its equation, printed as in `makeJaxpr` (empty for an eager primitive). */
    readonly equation: string,
    /** The functions it ran in, outermost first (`["loss", "checkpoint(layer)"]`); empty when eager. */
    readonly functions: readonly string[],
  ) {
    super(message);
  }
}

/** What is checked. */
interface Modes {
  readonly nans: boolean;
  readonly infs: boolean;
}

let global: Modes = { nans: false, infs: false };
/** Set while a result is being inspected or a program re-run: primitives inside are not checked on their own. */
let depth = 0;

/** The program each optimized jit jaxpr was simplified from, to re-run and print as the user traced it. */
const sources = new WeakMap<Jaxpr, Jaxpr>();

/** Records that `optimized` (what runs) was simplified from `source` (what `makeJaxpr` prints). */
export function registerSource(optimized: Jaxpr, source: Jaxpr): void {
  if (optimized !== source) sources.set(optimized, source);
}

/**
 * Turns the NaN check on or off for everything that runs from now on: eager primitives and every
 * compiled call (JAX's `jax_debug_nans`). Costs a scan of each result.
 * @example
 * setDebugNans(true);
 * log(tensor([-1])); // NaNError: log produced NaN …
 * @category Debugging
 */
export function setDebugNans(on: boolean): void {
  if (typeof on !== "boolean") throw new TypeError(`setDebugNans: expected a boolean, got ${typeof on}`);
  global = { ...global, nans: on };
  install();
}

/**
 * Turns the ±Inf check on or off, like `setDebugNans` (JAX's `jax_debug_infs`). Separate because
 * infinities are sometimes meant (a −∞ mask of logits).
 * @category Debugging
 */
export function setDebugInfs(on: boolean): void {
  if (typeof on !== "boolean") throw new TypeError(`setDebugInfs: expected a boolean, got ${typeof on}`);
  global = { ...global, infs: on };
  install();
}

function install(): void {
  setNanCheck(global.nans || global.infs ? checkFor(global) : null);
}

/** Runs `body` with the checks of `modes` on as well (how `jit(f, { debugNans })` scopes them to its calls). */
export function withNanChecks<R>(modes: Modes, body: () => R): R {
  const merged = { nans: modes.nans || global.nans, infs: modes.infs || global.infs };
  const previous = setNanCheck(checkFor(merged));
  try {
    return body();
  } finally {
    setNanCheck(previous);
  }
}

function checkFor(modes: Modes): NanCheck {
  return {
    run: (prim, params, args, impl) => {
      if (depth > 0) return impl();
      depth++;
      try {
        const outs = impl();
        const bad = firstBad(outs, modes);
        if (bad !== null) report(prim as PrimName, params, args, outs, modes, bad);
        return outs;
      } finally {
        depth--;
      }
    },
  };
}

/** "NaN", "Inf" or "-Inf" for the first bad float element of `outs`, else null. */
function firstBad(outs: readonly ConcreteTensor[], modes: Modes): string | null {
  for (const t of outs) {
    if (!isFloat(t.dtype)) continue;
    const data = t.storage;
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (v === v && v !== Infinity && v !== -Infinity) continue;
      if (v !== v) {
        if (modes.nans) return "NaN";
      } else if (modes.infs) return v > 0 ? "Inf" : "-Inf";
    }
  }
  return null;
}

/** Throws the NaNError for a primitive run eagerly, after locating the equation inside it if it is a call. */
function report(prim: PrimName, params: unknown, args: readonly ConcreteTensor[], outs: readonly ConcreteTensor[], modes: Modes, bad: string): never {
  const callee = primitives[prim].callee?.(args, params as never);
  if (callee !== undefined) locate(callee.jaxpr, callee.inputs, [callName(prim, params)], modes, numConstsOf(params));
  const p = new Printer();
  const inputs = args.map((a) => new Var(a.aval));
  for (const v of inputs) p.name(v);
  const eqn = { prim, inputs, params, outBinders: outs.map((o) => new Var(o.aval)) } as Eqn;
  throw new NaNError(`${prim} produced ${bad} (run eagerly)${inputsNote(args, modes)}: ${p.eqn(eqn, 0)}`, prim, p.eqn(eqn, 0), []);
}

/** The name a call shows in the path: jit's function name, or `checkpoint(name)`, `customJvp(name)`. */
function callName(prim: PrimName, params: unknown): string {
  const name = (params as { name?: string }).name ?? prim;
  switch (prim) {
    case "jitCall":
      return name;
    case "customJvpCall":
      return `customJvp(${name})`;
    case "customVjpCall":
      return `customVjp(${name})`;
    default:
      return `${prim}(${name})`;
  }
}

function numConstsOf(params: unknown): number {
  return (params as { numConsts?: number }).numConsts ?? 0;
}

/**
 * Re-runs `jaxpr` on `args` equation by equation (the program the user traced, when it was
 * optimized) and throws the NaNError of the first equation whose result is bad, descending into
 * calls. Returns if no equation's result is bad (the bad value came from elsewhere).
 */
function locate(optimized: Jaxpr, args: readonly ConcreteTensor[], path: readonly string[], modes: Modes, numConsts: number): void {
  const jaxpr = sources.get(optimized) ?? optimized;
  const env = new Map<Var, ConcreteTensor>();
  jaxpr.inBinders.forEach((v, i) => env.set(v, args[i]));
  const read = (x: Atom): ConcreteTensor => (x instanceof Lit ? x.val : env.get(x)!);
  for (const eqn of jaxpr.eqns) {
    const ins = eqn.inputs.map(read);
    const def = primitives[eqn.prim];
    const outs = def.impl(ins, eqn.params as never);
    eqn.outBinders.forEach((v, i) => env.set(v, outs[i]));
    const bad = firstBad(outs, modes);
    if (bad === null) continue;
    const callee = def.callee?.(ins, eqn.params as never);
    if (callee !== undefined) locate(callee.jaxpr, callee.inputs, [...path, callName(eqn.prim, eqn.params)], modes, numConstsOf(eqn.params));
    const p = new Printer();
    p.jaxpr(jaxpr, numConsts, 0); // names variables as the whole printout does
    const line = p.eqn(eqn, 0);
    throw new NaNError(
      `${eqn.prim} produced ${bad} in ${path.join(" > ")}${inputsNote(ins, modes)}: ${line}\n(found by re-running ${path[path.length - 1]} equation by equation)`,
      eqn.prim,
      line,
      path,
    );
  }
}

/** Says whether the bad value was already in an input (then this equation only passed it on). */
function inputsNote(ins: readonly ConcreteTensor[], modes: Modes): string {
  const bad = firstBad(ins, modes);
  return bad === null ? "" : ` (an input already held ${bad})`;
}
