/**
 * @file `einsum`: Einstein summation over labelled dims, its result shape computed at compile time
 * from the spec literal (`src/shape/einsum.ts`). Lowered when traced to existing primitives, no
 * rules of its own: repeated letters in one operand take a diagonal (transpose, reshape, strided
 * slice), letters needed nowhere else are summed first (`reduceSum`), operands are contracted
 * pairwise with `dotGeneral` (shared letters still needed become batch dims, the others are
 * contracted), the pair with the smallest result first, and a final `transpose` orders the result.
 */
import type { DType } from "../dtype.js";
import { checkCount, promoteDTypes } from "../dtype.js";
import { Tensor } from "../core/tensor.js";
import * as core from "../core/ops.js";
import type { Shape } from "../shape/dim.js";
import type { Einsum } from "../shape/einsum.js";
import { einsumPlan, type EinsumPlan } from "../shape/einsum.js";
import { product } from "../shape/arith.js";
import type { PromoteAll, ShapesOf } from "./movement.js";
import type { AnyTensor, Checked, ShapeResult, T } from "./operand.js";
import { castTo } from "./operand.js";

/**
 * The result shape of `einsum(Spec, ...Xs)`, or the error message.
 * @category Shape algebra
 */
export type EinsumOf<Spec extends string, Xs extends readonly unknown[]> =
  ShapesOf<Xs> extends infer Ss extends readonly Shape[] ? Einsum<Spec, Ss> : "einsum: expects tensor operands";

/** An operand under way: a tensor and the label of each of its dims (all distinct). */
interface Term {
  readonly x: T;
  readonly labels: readonly string[];
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** `x` without its size-1 dims labelled `null` (they broadcast against a larger dim elsewhere). */
function dropBroadcast(x: T, labels: readonly (string | null)[]): Term {
  if (!labels.includes(null)) return { x, labels: labels as string[] };
  const keep = labels.flatMap((l, i) => (l === null ? [] : [i]));
  return { x: core.reshape(x, keep.map((i) => x.shape[i])), labels: keep.map((i) => labels[i]!) };
}

/** The diagonal of the two dims labelled alike, until every label is distinct (`ii->i`, `iij->ij`). */
function diagonals(term: Term): Term {
  let { x, labels } = term;
  const repeat = (ls: readonly string[]) => ls.findIndex((l, i) => ls.indexOf(l) !== i);
  for (let p = repeat(labels); p >= 0; p = repeat(labels)) {
    const q = labels.indexOf(labels[p]);
    const rest = range(labels.length).filter((i) => i !== p && i !== q);
    const n = x.shape[p];
    const flat = core.reshape(core.transpose(x, [...rest, q, p]), [...rest.map((i) => x.shape[i]), n * n]);
    // Row-major, element (k, k) of an n × n block is at k·(n + 1): a strided slice.
    x = core.slice(flat, flat.shape.map(() => 0), flat.shape, [...rest.map(() => 1), n + 1]);
    labels = [...rest.map((i) => labels[i]), labels[p]];
  }
  return { x, labels };
}

/** `term` summed over the labels that neither the output nor any of `others` has. */
function sumUnshared(term: Term, others: readonly Term[], output: readonly string[]): Term {
  const needed = (l: string) => output.includes(l) || others.some((o) => o.labels.includes(l));
  const axes = term.labels.flatMap((l, i) => (needed(l) ? [] : [i]));
  if (axes.length === 0) return term;
  return { x: core.reduceSum(term.x, axes), labels: term.labels.filter((l) => needed(l)) };
}

/** The labels of contracting `a` with `b` while `others` and the output remain. */
function keptLabels(a: Term, b: Term, others: readonly Term[], output: readonly string[]): string[] {
  const all = [...a.labels, ...b.labels.filter((l) => !a.labels.includes(l))];
  return all.filter((l) => output.includes(l) || others.some((o) => o.labels.includes(l)));
}

/** `a` and `b` contracted over their shared labels that are needed no further; the rest kept. */
function contract(a: Term, b: Term, others: readonly Term[], output: readonly string[]): Term {
  const kept = keptLabels(a, b, others, output);
  const shared = a.labels.filter((l) => b.labels.includes(l));
  const batch = shared.filter((l) => kept.includes(l));
  const summed = shared.filter((l) => !kept.includes(l));
  const y = core.dotGeneral(a.x, b.x, {
    contract: [summed.map((l) => a.labels.indexOf(l)), summed.map((l) => b.labels.indexOf(l))],
    batch: [batch.map((l) => a.labels.indexOf(l)), batch.map((l) => b.labels.indexOf(l))],
  });
  const free = (t: Term) => t.labels.filter((l) => !shared.includes(l));
  return { x: y, labels: [...batch, ...free(a), ...free(b)] };
}

/** Contracts the terms pairwise, each time the pair whose result has the fewest elements. */
function contractAll(terms: Term[], plan: EinsumPlan): Term {
  const size = (labels: readonly string[]) => product(labels.map((l) => plan.sizes.get(l)!));
  let live = terms.map((t, i) => sumUnshared(t, terms.filter((_, j) => j !== i), plan.output));
  while (live.length > 1) {
    let best: [number, number] = [0, 1];
    let bestSize = Infinity;
    for (let i = 0; i < live.length; i++) {
      for (let j = i + 1; j < live.length; j++) {
        const others = live.filter((_, k) => k !== i && k !== j);
        const s = size(keptLabels(live[i], live[j], others, plan.output));
        if (s < bestSize) [best, bestSize] = [[i, j], s];
      }
    }
    // A product larger than any tensor can hold fails here, naming einsum, not in allocation.
    checkCount("einsum", bestSize);
    const [i, j] = best;
    const others = live.filter((_, k) => k !== i && k !== j);
    live = [contract(live[i], live[j], others, plan.output), ...others];
  }
  return sumUnshared(live[0], [], plan.output);
}

/** Untyped `einsum`: checks, plans and lowers. */
export function einsumRaw(spec: string, operands: readonly unknown[]): T {
  operands.forEach((x, i) => {
    if (!(x instanceof Tensor)) throw new TypeError(`einsum: operand ${i} must be a tensor, got ${typeof x}`);
  });
  const xs = operands as T[];
  const plan = einsumPlan(spec, xs.map((x) => x.shape));
  const dtype: DType = xs.length === 0 ? "float32" : xs.map((x) => x.dtype).reduce(promoteDTypes);
  // bool operands multiply and add as int32; any nonzero sum of products is true.
  const computeIn = dtype === "bool" ? "int32" : dtype;
  const terms = xs.map((x, i) => diagonals(dropBroadcast(castTo(x, computeIn), plan.inputs[i])));
  const { x, labels } = contractAll(terms, plan);
  const perm = plan.output.map((l) => labels.indexOf(l));
  const y = perm.every((p, i) => p === i) ? x : core.transpose(x, perm);
  return dtype === "bool" ? core.compare(y, core.fullLike(y, 0), "ne") : y;
}

/**
 * Einstein summation: each operand's dims are named by a term of letters in `spec`
 * (`"bij,bjk->bik"`); a letter must be the same dim everywhere, letters missing from the output
 * are summed over, a letter repeated in one term takes a diagonal, and `...` stands for dims that
 * broadcast across operands. Without `->` the output is `...` and then the letters appearing
 * once, in ASCII order (NumPy). The result shape is computed at compile time from a literal
 * spec; a letter bound to two different dims, a wrong operand count or rank, and an output
 * letter in no input are compile errors with the text the runtime throws. Operand dtypes promote.
 * @example
 * const c = einsum("bij,bjk->bik", zeros([8, 3, 4]), zeros([8, 4, 5])); // Tensor<[8, 3, 5]>
 * const t = einsum("ii", eye(3)); // Tensor<[]>: the trace, 3
 * @category Linear algebra
 */
export function einsum<const Spec extends string, const Xs extends readonly AnyTensor[]>(
  spec: Checked<EinsumOf<Spec, Xs>, Spec>,
  ...operands: Xs
): Tensor<ShapeResult<EinsumOf<Spec, Xs>>, PromoteAll<Xs>> {
  return einsumRaw(spec as string, operands) as never;
}
