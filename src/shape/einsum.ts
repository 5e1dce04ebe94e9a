/**
 * @file Einstein-summation shapes, twice: `Einsum<Spec, Shapes>` parses a spec string literal at
 * the type level and computes the result shape (`Einsum<"bij,bjk->bik", [[B, I, J], [B, J, K]]>`
 * is `[B, I, K]`), and `einsumPlan(spec, shapes)` does the same at run time, with the same error
 * texts, returning the labelled dims that `einsum` lowers.
 *
 * Spec grammar (NumPy's): comma-separated operand terms of letters `a-z`, `A-Z`, each with at most
 * one `...` standing for leading/middle dims that broadcast across operands; an optional `->` and
 * output term; spaces ignored. Without `->` the output is `...` followed by the letters that
 * appear exactly once, in ASCII order (capitals first), as NumPy. A letter must be the same dim
 * everywhere: unlike NumPy, a size-1 dim does not stretch to match another letter's size (only
 * dims under `...` broadcast). Letters missing from the output are summed over; an output without
 * `...` sums the broadcast dims too (as JAX).
 *
 * The type keeps to the compiler's cheap operations: template-literal splits bounded by the spec's
 * length, bindings kept as a union of `[letter, dim, operand]` tuples (one `Extract` per lookup),
 * and the implicit output read off the alphabet with two template-literal tests per letter.
 */
import type { Dim, DimMatch, IsTuple, Shape } from "./dim.js";
import { assertShape } from "./dim.js";
import { ShapeError, showShape } from "./errors.js";
import type { Broadcast } from "./broadcast.js";
import type { ShowDim, ShowShape } from "./show.js";

// ---- type level: parsing ----

type Upper = "A" | "B" | "C" | "D" | "E" | "F" | "G" | "H" | "I" | "J" | "K" | "L" | "M" | "N" | "O" | "P" | "Q" | "R" | "S" | "T" | "U" | "V" | "W" | "X" | "Y" | "Z";
type Lower = Lowercase<Upper>;

/** The letters in ASCII order: the order of an implicit output. */
type Alphabet = [
  "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P", "Q", "R", "S", "T", "U", "V", "W", "X", "Y", "Z",
  "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z",
];

type NoSpaces<S extends string> = S extends `${infer A} ${infer B}` ? NoSpaces<`${A}${B}`> : S;

type SplitTerms<S extends string, Acc extends string[] = []> = S extends `${infer H},${infer R}` ? SplitTerms<R, [...Acc, H]> : [...Acc, S];

/** A term as tokens: one letter (or other character) each, and `...` as one token. */
type Tokens<T extends string, Acc extends string[] = []> = T extends `...${infer R}`
  ? Tokens<R, [...Acc, "..."]>
  : T extends `${infer C}${infer R}`
    ? Tokens<R, [...Acc, C]>
    : Acc;

/** `Toks` when every token is a letter or one `...`, else the error message. */
type CheckTokens<Toks, All extends string[], Term extends string, Spec extends string, Dots extends boolean = false> = Toks extends [
  infer H,
  ...infer R,
]
  ? H extends Upper | Lower
    ? CheckTokens<R, All, Term, Spec, Dots>
    : H extends "..."
      ? Dots extends true
        ? `einsum: more than one "..." in "${Term}" (spec "${Spec}")`
        : CheckTokens<R, All, Term, Spec, true>
      : `einsum: invalid subscript "${H & string}" in "${Spec}" (subscripts are letters a-z, A-Z and "...")`
  : All;

type ParseTerms<Terms, Spec extends string, Acc extends string[][] = []> = Terms extends [infer T extends string, ...infer R]
  ? CheckTokens<Tokens<T>, Tokens<T>, T, Spec> extends infer Toks
    ? Toks extends string[]
      ? ParseTerms<R, Spec, [...Acc, Toks]>
      : Toks
    : never
  : Acc;

/** `[input tokens per operand, output tokens or null (implicit), the inputs as written]`, or an error message. */
type Parse<S extends string, Spec extends string> = S extends `${infer In}->${infer Out}`
  ? ParseTerms<SplitTerms<In>, Spec> extends infer Ins
    ? [Ins] extends [string]
      ? Ins
      : CheckTokens<Tokens<Out>, Tokens<Out>, Out, Spec> extends infer O
        ? [O] extends [string]
          ? O
          : [Ins, O, In]
        : never
    : never
  : ParseTerms<SplitTerms<S>, Spec> extends infer Ins
    ? [Ins] extends [string]
      ? Ins
      : [Ins, null, S]
    : never;

// ---- type level: binding letters to dims ----

type Plural<N extends number, What extends string> = N extends 1 ? `1 ${What}` : `${N} ${What}s`;

type ShowShapes<Ss, Acc extends string = ""> = Ss extends readonly [infer H extends Shape, ...infer R]
  ? ShowShapes<R, Acc extends "" ? ShowShape<H> : `${Acc}, ${ShowShape<H>}`>
  : Acc;

/** `[[token, dim] pairs, dims under "..." or null]` of one operand, or `false` when its rank does not fit. */
type ZipFront<Toks, S, Acc extends unknown[] = []> = Toks extends [infer H, ...infer R]
  ? H extends "..."
    ? ZipBack<R, S, Acc, []>
    : S extends readonly [infer D, ...infer SR]
      ? ZipFront<R, SR, [...Acc, [H, D]]>
      : false
  : S extends readonly []
    ? [Acc, null]
    : false;

type ZipBack<Toks, S, Front extends unknown[], Back extends unknown[]> = Toks extends [...infer R, infer H]
  ? S extends readonly [...infer SR, infer D]
    ? ZipBack<R, SR, Front, [[H, D], ...Back]>
    : false
  : [[...Front, ...Back], S];

/** The binding of letter `L`: `[L, dim, operand]`, or `never`. */
type BindingOf<Bound, L> = Extract<Bound, [L, unknown, unknown]>;

/** Keeps the binding that says more: a literal or a name replaces a wide `number`/`string`. */
type Rebind<Bound, L, D0, D, I> = [[D0]] extends [[D]]
  ? Bound
  : number extends D0
    ? Exclude<Bound, [L, unknown, unknown]> | [L, D, I]
    : string extends D0
      ? Exclude<Bound, [L, unknown, unknown]> | [L, D, I]
      : Bound;

type BindPairs<Pairs, I extends number, Bound, Spec extends string, Ss> = Pairs extends [[infer L, infer D], ...infer R]
  ? [BindingOf<Bound, L>] extends [never]
    ? BindPairs<R, I, Bound | [L, D, I], Spec, Ss>
    : [BindingOf<Bound, L>] extends [[L, infer D0, infer I0 extends number]]
      ? DimMatch<D0, D> extends true
        ? BindPairs<R, I, Rebind<Bound, L, D0, D, I>, Spec, Ss>
        : `einsum: "${L & string}" is ${ShowDim<D0>} in operand ${I0} and ${ShowDim<D>} in operand ${I} (spec "${Spec}", operand shapes ${ShowShapes<Ss>})`
      : never
  : [Bound];

type RankError<Toks extends string[], Term extends string, S extends Shape, I extends number, Spec extends string> = "..." extends Toks[number]
  ? `einsum: "${Term}" names at least ${Plural<MinusOne<Toks>, "dim">} but operand ${I} is ${ShowShape<S>} (spec "${Spec}")`
  : `einsum: "${Term}" names ${Plural<Toks["length"], "dim">} but operand ${I} is ${ShowShape<S>} (spec "${Spec}")`;

/** The number of letters in tokens that hold one `...`. */
type MinusOne<L> = L extends [unknown, ...infer R] ? R["length"] : 0;

type Join<Toks, Acc extends string = ""> = Toks extends [infer H extends string, ...infer R] ? Join<R, `${Acc}${H}`> : Acc;

/** `[bindings, dims under "..." per operand that has one]`, or an error message. */
type BindAll<Terms, Shapes, Spec extends string, Ss, I extends 0[] = [], Bound = never, Ells extends Shape[] = []> = Terms extends [
  infer T extends string[],
  ...infer TR,
]
  ? Shapes extends readonly [infer S extends Shape, ...infer SR]
    ? ZipFront<T, S> extends [infer Pairs, infer Ell]
      ? BindPairs<Pairs, I["length"], Bound, Spec, Ss> extends infer B
        ? B extends [infer Next]
          ? BindAll<TR, SR, Spec, Ss, [...I, 0], Next, Ell extends Shape ? [...Ells, Ell] : Ells>
          : B
        : never
      : RankError<T, Join<T>, S, I["length"], Spec>
    : never
  : [Bound, Ells];

// ---- type level: the output ----

type EllipsisDims<Ells, Spec extends string, Ss, Acc extends Shape = []> = Ells extends [infer H extends Shape, ...infer R]
  ? Broadcast<Acc, H> extends infer B
    ? [B] extends [string]
      ? B extends `${string}: cannot broadcast ${infer X} with ${infer Y} (${string}`
        ? `einsum: dims under "..." do not broadcast: ${X} with ${Y} (spec "${Spec}", operand shapes ${ShowShapes<Ss>})`
        : B
      : B extends Shape
        ? EllipsisDims<R, Spec, Ss, B>
        : never
    : never
  : Acc;

type ExplicitOut<Toks, Bound, Ell extends Shape, Spec extends string, Seen = never, Acc extends Dim[] = []> = Toks extends [
  infer H,
  ...infer R,
]
  ? H extends "..."
    ? ExplicitOut<R, Bound, Ell, Spec, Seen, [...Acc, ...Ell]>
    : [BindingOf<Bound, H>] extends [never]
      ? `einsum: output subscript "${H & string}" is not in any input (spec "${Spec}")`
      : [H] extends [Seen]
        ? `einsum: output subscript "${H & string}" appears twice (spec "${Spec}")`
        : ExplicitOut<R, Bound, Ell, Spec, Seen | H, [...Acc, BindingOf<Bound, H>[1] & Dim]>
  : Acc;

/** The letters appearing exactly once in `In`, in ASCII order, with their dims. */
type ImplicitOut<In extends string, Bound, Letters = Alphabet, Acc extends Dim[] = []> = Letters extends [infer L extends string, ...infer R]
  ? In extends `${string}${L}${string}${L}${string}`
    ? ImplicitOut<In, Bound, R, Acc>
    : In extends `${string}${L}${string}`
      ? ImplicitOut<In, Bound, R, [...Acc, BindingOf<Bound, L>[1] & Dim]>
      : ImplicitOut<In, Bound, R, Acc>
  : Acc;

type OperandCount<N extends number, Got extends number, Spec extends string> = `einsum: spec "${Spec}" takes ${Plural<N, "operand">}, got ${Got}`;

type AllTuples<Ss> = Ss extends readonly [infer H extends Shape, ...infer R] ? (IsTuple<H> extends true ? AllTuples<R> : false) : true;

type EinsumParsed<P, Ss extends readonly Shape[], Spec extends string> = P extends [infer Ins extends string[][], infer Out, infer In extends string]
  ? Ins["length"] extends Ss["length"]
    ? BindAll<Ins, Ss, Spec, Ss> extends infer B
      ? B extends [infer Bound, infer Ells]
        ? EllipsisDims<Ells, Spec, Ss> extends infer Ell
          ? Ell extends Shape
            ? Out extends string[]
              ? ExplicitOut<Out, Bound, Ell, Spec>
              : [...Ell, ...ImplicitOut<In, Bound>]
            : Ell
          : never
        : B
      : never
    : OperandCount<Ins["length"], Ss["length"], Spec>
  : P;

/**
 * The shape of `einsum(Spec, ...operands)` for operand shapes `Ss`, or an error message naming
 * the mistake and the spec: `Einsum<"ij,jk->ik", [[2, 3], [3, 4]]>` is `[2, 4]`,
 * `Einsum<"ii", [[3, 3]]>` (a trace) is `[]`, and `Einsum<"ij,jk", [[2, 3], [4, 5]]>` is
 * `"einsum: "j" is 3 in operand 0 and 4 in operand 1 (spec "ij,jk", operand shapes [2, 3], [4, 5])"`.
 * A spec that is not a literal, or an operand of unknown rank, gives `number[]` (checked at run time).
 * @category Shape algebra
 */
export type Einsum<Spec extends string, Ss extends readonly Shape[]> =
  EinsumImpl<Spec, Ss> extends infer R ? R : never;

type EinsumImpl<Spec extends string, Ss extends readonly Shape[]> = string extends Spec
  ? number[]
  : AllTuples<Ss> extends true
    ? EinsumParsed<Parse<NoSpaces<Spec>, Spec>, Ss, Spec>
    : number[];

// ---- run time ----

const LETTER = /^[a-zA-Z]$/;

/**
 * What `einsum` lowers: the labelled dims of its operands and of its result.
 * @category Shape algebra
 */
export interface EinsumPlan {
  /**
   * Per operand, the label of each dim: its letter, or `…k` for dim k of the broadcast `...`
   * dims; `null` for a size-1 dim under `...` that broadcasts against a larger one (dropped).
   */
  readonly inputs: readonly (readonly (string | null)[])[];
  /** The labels of the result's dims, in order. */
  readonly output: readonly string[];
  /** The size of every label. */
  readonly sizes: ReadonlyMap<string, number>;
  /** The result shape. */
  readonly shape: readonly number[];
}

const plural = (n: number, what: string): string => `${n} ${what}${n === 1 ? "" : "s"}`;

/** A term as tokens (letters and `...`), or the `Einsum` type's error for a bad one. */
function tokens(term: string, spec: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < term.length; i++) {
    if (term.startsWith("...", i)) {
      if (out.includes("...")) throw new ShapeError(`einsum: more than one "..." in "${term}" (spec "${spec}")`);
      out.push("...");
      i += 2;
    } else if (LETTER.test(term[i])) {
      out.push(term[i]);
    } else {
      throw new ShapeError(`einsum: invalid subscript "${term[i]}" in "${spec}" (subscripts are letters a-z, A-Z and "...")`);
    }
  }
  return out;
}

/** The broadcast of the dims under `...` (NumPy alignment at the end), or the `Einsum` type's error. */
function broadcastEllipsis(ells: readonly (readonly number[])[], spec: string, shapes: readonly (readonly number[])[]): number[] {
  let acc: number[] = [];
  for (const e of ells) {
    const n = Math.max(acc.length, e.length);
    const next = new Array<number>(n);
    for (let k = 1; k <= n; k++) {
      const a = k <= acc.length ? acc[acc.length - k] : 1;
      const b = k <= e.length ? e[e.length - k] : 1;
      if (a !== b && a !== 1 && b !== 1) {
        throw new ShapeError(`einsum: dims under "..." do not broadcast: ${a} with ${b} (spec "${spec}", operand shapes ${shapes.map(showShape).join(", ")})`);
      }
      next[n - k] = a === 1 ? b : a;
    }
    acc = next;
  }
  return acc;
}

/**
 * Runtime twin of `Einsum`: parses `spec`, checks it against the operand shapes (the same error
 * texts as the type) and labels every dim.
 * @category Shape algebra
 */
export function einsumPlan(spec: string, shapes: readonly (readonly number[])[]): EinsumPlan {
  if (typeof spec !== "string") throw new TypeError(`einsum: the spec must be a string, got ${typeof spec}`);
  shapes.forEach((s) => assertShape("einsum", s));
  const clean = spec.replace(/ /g, "");
  const arrow = clean.indexOf("->");
  const inText = arrow < 0 ? clean : clean.slice(0, arrow);
  const terms = inText.split(",");
  const ins = terms.map((t) => tokens(t, spec));
  const out = arrow < 0 ? null : tokens(clean.slice(arrow + 2), spec);
  if (ins.length !== shapes.length) throw new ShapeError(`einsum: spec "${spec}" takes ${plural(ins.length, "operand")}, got ${shapes.length}`);
  const sizes = new Map<string, number>();
  const operandOf = new Map<string, number>();
  const ells: number[][] = [];
  const ellOf: (number[] | null)[] = [];
  ins.forEach((toks, i) => {
    const shape = shapes[i];
    const dots = toks.indexOf("...");
    const letters = dots < 0 ? toks.length : toks.length - 1;
    if (dots < 0 ? shape.length !== letters : shape.length < letters) {
      const names = `names ${dots < 0 ? "" : "at least "}${plural(letters, "dim")}`;
      throw new ShapeError(`einsum: "${terms[i]}" ${names} but operand ${i} is ${showShape(shape)} (spec "${spec}")`);
    }
    const ell = dots < 0 ? null : shape.slice(dots, shape.length - (toks.length - 1 - dots));
    ellOf.push(ell);
    if (ell !== null) ells.push(ell);
    toks.forEach((tok, k) => {
      if (tok === "...") return;
      const d = shape[dots < 0 || k < dots ? k : shape.length - (toks.length - k)];
      const bound = sizes.get(tok);
      if (bound === undefined) {
        sizes.set(tok, d);
        operandOf.set(tok, i);
      } else if (bound !== d) {
        throw new ShapeError(
          `einsum: "${tok}" is ${bound} in operand ${operandOf.get(tok)} and ${d} in operand ${i} (spec "${spec}", operand shapes ${shapes.map(showShape).join(", ")})`,
        );
      }
    });
  });
  const ellShape = broadcastEllipsis(ells, spec, shapes);
  const ellLabels = ellShape.map((d, k) => {
    sizes.set(`…${k}`, d);
    return `…${k}`;
  });
  const inputs = ins.map((toks, i) =>
    toks.flatMap((tok) => {
      if (tok !== "...") return [tok];
      const ell = ellOf[i]!;
      const offset = ellShape.length - ell.length;
      return ell.map((d, k) => (d === 1 && ellShape[offset + k] !== 1 ? null : ellLabels[offset + k]));
    }),
  );
  const output = out === null ? implicitOutput(ins, ellLabels) : explicitOutput(out, sizes, ellLabels, spec);
  return { inputs, output, sizes, shape: output.map((l) => sizes.get(l)!) };
}

function explicitOutput(out: readonly string[], sizes: ReadonlyMap<string, number>, ellLabels: readonly string[], spec: string): string[] {
  const labels: string[] = [];
  for (const tok of out) {
    if (tok === "...") {
      labels.push(...ellLabels);
      continue;
    }
    if (!sizes.has(tok)) throw new ShapeError(`einsum: output subscript "${tok}" is not in any input (spec "${spec}")`);
    if (labels.includes(tok)) throw new ShapeError(`einsum: output subscript "${tok}" appears twice (spec "${spec}")`);
    labels.push(tok);
  }
  return labels;
}

/** NumPy's implicit output: the `...` dims, then the letters that appear exactly once, in ASCII order. */
function implicitOutput(ins: readonly string[][], ellLabels: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const tok of ins.flat()) if (tok !== "...") counts.set(tok, (counts.get(tok) ?? 0) + 1);
  const once = [...counts].filter(([, n]) => n === 1).map(([l]) => l);
  return [...ellLabels, ...once.sort()];
}

/**
 * The shape of `einsum(spec, ...operands)` for operands of `shapes` (runtime twin of `Einsum`).
 * @category Shape algebra
 */
export function einsumShape(spec: string, shapes: readonly (readonly number[])[]): number[] {
  return [...einsumPlan(spec, shapes).shape];
}
