/**
 * @file Symbolic dims (ONNX `dim_param`). Types are erased at run time and a traced program has
 * concrete sizes in it (reshape targets, the count a mean divides by), so a dim the user marks
 * symbolic is found by experiment: the graph is written for the dim at three sizes, the three
 * graphs must agree node for node, and each constant that differs must differ linearly
 * (`c + a·n`). Those constants are then computed when the graph runs, from the size of the input
 * dim itself (`Shape` → `Gather`), and the graph serves every size. Anything else that moves with
 * the size (an attribute, a constant's own shape, a nonlinear value) cannot follow the dim and is
 * an `OnnxExportError` naming the primitive it comes from. With several dim names, one more
 * graph (all of them moved at once) checks that their effects add up (no products of two dims).
 */
import { OnnxExportError } from "./errors.js";
import { GraphBuilder, rawData, int } from "./graph.js";
import type { AttributeProto, NodeProto, TensorProto } from "./encode.js";
import { DATA_TYPE, type OnnxType } from "./schema.js";

/** Where a symbolic dim is read at run time: the input and axis it first appears at. */
export interface DimSource {
  readonly name: string;
  readonly input: string;
  readonly axis: number;
}

/** One written graph and the output shapes it has, at one assignment of sizes to dim names. */
export interface Sample {
  readonly sizes: Readonly<Record<string, number>>;
  readonly g: GraphBuilder;
  readonly outShapes: readonly (readonly number[])[];
}

/**
 * A number of the graph as a function of the dims: `c + Σ a[name] · size(name)`, or its
 * reciprocal when `inverse` (the gradient of a mean is 1/count).
 */
export interface Linear {
  readonly c: number;
  readonly a: Readonly<Record<string, number>>;
  readonly inverse?: boolean;
}

/** The value of a form at the given sizes, rounded as the initializer's type rounds. */
function valueAt(f: Linear, sizes: Readonly<Record<string, number>>, round: (x: number) => number): number {
  const sum = f.c + Object.entries(f.a).reduce((acc, [name, a]) => acc + a * sizes[name], 0);
  return f.inverse === true ? round(1 / round(sum)) : sum;
}

const TYPE_BY_CODE = new Map<number, OnnxType>(Object.entries(DATA_TYPE).map(([t, code]) => [code, t as OnnxType]));

/** Rounding of the float types, in which a value may be the reciprocal of a size. */
const ROUND: Partial<Record<OnnxType, (x: number) => number>> = { float32: Math.fround, float64: (x) => x };

/** The elements of an initializer. */
function values(t: TensorProto): number[] {
  const type = TYPE_BY_CODE.get(t.dataType)!;
  const view = new DataView(t.rawData.buffer, t.rawData.byteOffset, t.rawData.byteLength);
  const read: Record<OnnxType, [number, (i: number) => number]> = {
    float32: [4, (i) => view.getFloat32(i, true)],
    float64: [8, (i) => view.getFloat64(i, true)],
    int32: [4, (i) => view.getInt32(i, true)],
    uint32: [4, (i) => view.getUint32(i, true)],
    int64: [8, (i) => Number(view.getBigInt64(i, true))],
    bool: [1, (i) => view.getUint8(i)],
    uint8: [1, (i) => view.getUint8(i)],
  };
  const [size, get] = read[type];
  return Array.from({ length: t.rawData.byteLength / size }, (_, i) => get(i * size));
}

const primOf = (scopedName: string) => scopedName.split("/")[0];

function sameAttribute(p: AttributeProto, q: AttributeProto): boolean {
  const key = (a: AttributeProto) => JSON.stringify([a.name, a.type, a.f, a.i, a.ints, a.floats, a.s === undefined ? null : Array.from(a.s)]);
  return key(p) === key(q);
}

/** Throws unless `node` is `base` (same op, wiring and attributes) in a graph written at other sizes. */
function checkNode(base: NodeProto, node: NodeProto | undefined, dim: string): void {
  const prim = primOf(base.name ?? "");
  const moved = (what: string): never => {
    throw new OnnxExportError(`exportModel: ${prim}: ${what} changes with the size of symbolic dim "${dim}", so the graph cannot take that dim symbolically`, prim);
  };
  if (node === undefined || node.opType !== base.opType || node.name !== base.name) return moved("the program's structure");
  if (node.input.join("\n") !== base.input.join("\n") || node.output.join("\n") !== base.output.join("\n")) moved("the program's structure");
  const attrs = base.attribute ?? [];
  const others = node.attribute ?? [];
  if (attrs.length !== others.length) moved("the program's structure");
  attrs.forEach((a, i) => {
    if (!sameAttribute(a, others[i])) moved(`the ${base.opType} attribute ${a.name}`);
  });
}

/** `c + a·n` through the three points (n0, v0), (n0 + 1, v1), (n0 + 2, v2), or null when they are not on a line. */
function fit(n0: number, v0: number, v1: number, v2: number): { a: number; c: number } | null {
  if (Object.is(v0, v1) && Object.is(v1, v2)) return { a: 0, c: v0 }; // NaN too
  const a = v1 - v0;
  if (!(v2 - v1 === a && Number.isFinite(a))) return null;
  return { a, c: v0 - a * n0 };
}

/**
 * `1 / (c + a·n)` with whole `a` and `c` that gives exactly v0, v1, v2 at n0, n0 + 1, n0 + 2 once
 * rounded to the value's type (how a folded `1 / count` comes out), or null.
 */
function fitInverse(n0: number, vs: readonly number[], round: (x: number) => number): { a: number; c: number } | null {
  if (!vs.every((v) => Number.isFinite(v) && v !== 0)) return null;
  const a = Math.round(1 / vs[1] - 1 / vs[0]);
  const c = Math.round(1 / vs[0] - a * n0);
  const form: Linear = { a: { n: a }, c, inverse: true };
  return a !== 0 && vs.every((v, i) => valueAt(form, { n: n0 + i }, round) === v) ? { a, c } : null;
}

/** Throws unless `sample` has `base`'s nodes and initializers (names, types, shapes), values aside. */
function checkStructure(base: Sample, sample: Sample, dim: string): void {
  base.g.nodes.forEach((node, i) => checkNode(node, sample.g.nodes[i], dim));
  if (sample.g.nodes.length !== base.g.nodes.length || sample.g.initializers.length !== base.g.initializers.length) {
    throw new OnnxExportError(`exportModel: the program's structure changes with the size of ${dim}`);
  }
  sample.g.initializers.forEach((t, i) => {
    const b = base.g.initializers[i];
    if (t.name !== b.name || t.dataType !== b.dataType || t.dims.join() !== b.dims.join()) {
      const prim = base.g.origin.get(b.name) ?? "graph";
      throw new OnnxExportError(`exportModel: ${prim}: a constant of shape [${b.dims.join(", ")}] changes shape with the size of ${dim}`, prim);
    }
  });
}

/**
 * The linear form of every number that differs between `base` and the samples that move one dim
 * each (`moved[name] = [at + 1, at + 2]`): per initializer name, one `Linear` per element, and one
 * per output dim. Throws when the graphs differ in anything else.
 */
export function solve(
  base: Sample,
  moved: Readonly<Record<string, readonly [Sample, Sample]>>,
): { inits: Map<string, Linear[]>; outDims: Linear[][] } {
  const names = Object.keys(moved);
  const inits = new Map<string, Linear[]>();
  const baseValues = new Map(base.g.initializers.map((t) => [t.name, values(t)]));
  const forms = (
    v0: readonly number[],
    series: (name: string, k: 0 | 1) => readonly number[],
    what: () => [string, string],
    round: ((x: number) => number) | null,
  ): Linear[] =>
    v0.map((x, i) => {
      const a: Record<string, number> = {};
      let c = x;
      for (const name of names) {
        const vs = [x, series(name, 0)[i], series(name, 1)[i]];
        const f = fit(base.sizes[name], vs[0], vs[1], vs[2]);
        if (f === null) {
          const inverse = names.length === 1 && round !== null ? fitInverse(base.sizes[name], vs, round) : null;
          if (inverse !== null) return { c: inverse.c, a: { [name]: inverse.a }, inverse: true };
          const [prim, thing] = what();
          throw new OnnxExportError(`exportModel: ${prim}: ${thing} depends on the size of symbolic dim "${name}" in a way the graph cannot compute (neither linearly nor as 1/linear)`, prim);
        }
        if (f.a !== 0) {
          a[name] = f.a;
          c -= f.a * base.sizes[name];
        }
      }
      return { c, a };
    });

  for (const name of names) for (const sample of moved[name]) checkStructure(base, sample, `symbolic dim "${name}"`);
  base.g.initializers.forEach((t, k) => {
    const v0 = baseValues.get(t.name)!;
    const series = (name: string, j: 0 | 1) => values(moved[name][j].g.initializers[k]);
    if (names.every((name) => series(name, 0).every((v, i) => Object.is(v, v0[i])))) return;
    const prim = base.g.origin.get(t.name) ?? "graph";
    inits.set(t.name, forms(v0, series, () => [prim, `a constant of shape [${t.dims.join(", ")}]`], ROUND[TYPE_BY_CODE.get(t.dataType)!] ?? null));
  });
  const outDims = base.outShapes.map((shape, o) =>
    forms(shape, (name, j) => moved[name][j].outShapes[o], () => ["exportModel", `the shape of output ${o}`], null),
  );
  return { inits, outDims };
}

/** Checks the forms of `solve` against a sample with every dim moved at once (their effects must add). */
export function checkJoint(base: Sample, solved: ReturnType<typeof solve>, joint: Sample): void {
  checkStructure(base, joint, "several symbolic dims at once");
  for (const t of joint.g.initializers) {
    const forms = solved.inits.get(t.name);
    const round = ROUND[TYPE_BY_CODE.get(t.dataType)!] ?? ((x: number) => x);
    if (forms !== undefined && !values(t).every((v, i) => v === valueAt(forms[i], joint.sizes, round))) {
      const prim = joint.g.origin.get(t.name) ?? "graph";
      throw new OnnxExportError(`exportModel: ${prim}: a constant depends on a product of symbolic dims, which the graph cannot compute`, prim);
    }
  }
}

/**
 * Replaces each initializer of `g` that `inits` gives forms for by nodes computing it from the
 * dims' sizes at run time; the nodes go first in the graph (they read only input shapes).
 */
export function computeInitializers(g: GraphBuilder, inits: ReadonlyMap<string, readonly Linear[]>, sources: readonly DimSource[]): void {
  if (inits.size === 0) return;
  const nodesBefore = g.nodes.length;
  const sizes = new Map<string, string>();
  const sizeOf = (name: string): string => {
    let s = sizes.get(name);
    if (s === undefined) {
      const src = sources.find((d) => d.name === name)!;
      s = g.op("Gather", [g.op("Shape", [src.input]), g.scalar("int64", src.axis)], { axis: int(0) });
      sizes.set(name, s);
    }
    return s;
  };
  const replaced = new Set(inits.keys());
  const original = g.initializers.splice(0);
  g.initializers.push(...original.filter((t) => !replaced.has(t.name)));
  for (const t of original.filter((t) => replaced.has(t.name))) {
    const type = TYPE_BY_CODE.get(t.dataType)!;
    const forms = inits.get(t.name)!;
    const tensor = (vals: number[], as: OnnxType = type): string => {
      const name = g.fresh("c");
      g.initializers.push({ name, dataType: DATA_TYPE[as], dims: t.dims, rawData: rawData(as, vals) });
      return name;
    };
    let acc = tensor(forms.map((f) => f.c));
    const dims = [...new Set(forms.flatMap((f) => Object.keys(f.a)))];
    dims.forEach((dim) => {
      acc = g.op("Add", [acc, g.op("Mul", [tensor(forms.map((f) => f.a[dim] ?? 0)), g.cast(sizeOf(dim), "int64", type)])]);
    });
    // 1 / (c + a·n) where the form is inverse; the value itself elsewhere (forms of one tensor may mix)
    const inverse = forms.map((f) => f.inverse === true);
    if (inverse.some(Boolean)) {
      const reciprocal = g.op("Div", [g.scalar(type, 1), acc]);
      acc = inverse.every(Boolean) ? reciprocal : g.op("Where", [tensor(inverse.map(Number), "bool"), reciprocal, acc]);
    }
    g.nodeInto("Identity", [acc], [t.name]);
  }
  // the computing nodes were appended: move them to the front, where every reader comes after
  g.nodes.unshift(...g.nodes.splice(nodesBefore));
}

/** `dim_param` text of an output dim's form: the name itself, or an expression such as `2*batch+1`. */
export function dimParam(f: Linear): string {
  const terms = Object.entries(f.a).map(([name, a]) => (a === 1 ? name : `${a}*${name}`));
  if (f.c !== 0) terms.push(String(f.c));
  return terms.join("+");
}
