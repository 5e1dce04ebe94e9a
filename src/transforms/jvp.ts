/** @file Forward-mode differentiation (Autodidax Part 1, "jvp"): tracers carry a primal and a tangent. */
import type { ShapedArray } from "../core/aval.js";
import * as ops from "../core/ops.js";
import type { AnyTensor } from "../core/ops.js";
import type { PrimName, PrimParams } from "../core/primitive.js";
import { primitives } from "../core/rule-table.js";
import { Trace, Tracer, avalOf, bind, fullRaise, instantiate, newMain, type MainTrace } from "../core/trace.js";
import { SymbolicZero, isZero } from "../core/zero.js";
import { Tensor, type ConcreteLike } from "../core/tensor.js";
import { sameShape } from "../core/aval.js";
import { flatten, flattenFun, unflatten } from "../core/tree.js";
import { ShapeError } from "../shape/errors.js";

type T = AnyTensor;

/** A value under `jvp`: its primal and its tangent (directional derivative). */
export class JVPTracer extends Tracer {
  constructor(
    readonly trace: JVPTrace,
    readonly primal: T,
    readonly tangent: T,
  ) {
    super();
  }

  override get aval(): ShapedArray {
    return avalOf(this.primal);
  }

  override concrete(): ConcreteLike | null {
    return this.primal.concrete();
  }
}

/** Applies each primitive's JVP rule. */
export class JVPTrace extends Trace {
  override pure(x: T): T {
    return new JVPTracer(this, x, ops.zerosLike(x));
  }

  override lift(x: Tracer): T {
    return this.pure(x);
  }

  override processPrimitive<P extends PrimName>(prim: P, args: T[], params: PrimParams[P]): T[] {
    const tracers = args as JVPTracer[];
    if (tracers.every((t) => isZero(t.tangent))) {
      // Nothing here depends on the differentiated inputs: no rule to run.
      const primalsOut = bind(
        prim,
        tracers.map((t) => t.primal),
        params,
      );
      return primalsOut.map((p) => new JVPTracer(this, p, SymbolicZero.like(p)));
    }
    const [primalsOut, tangentsOut] = primitives[prim].jvp(
      tracers.map((t) => t.primal),
      tracers.map((t) => t.tangent),
      params,
    );
    return primalsOut.map((p, i) => new JVPTracer(this, p, tangentsOut[i]));
  }
}

/** Evaluates `f` and its directional derivative along `tangents`, on flat lists of tensors. */
export function jvpFlat(f: (...args: T[]) => T[], primals: readonly T[], tangents: readonly T[]): [T[], T[]] {
  return newMain(JVPTrace, null, (main: MainTrace) => {
    const trace = new JVPTrace(main);
    const tracersIn = primals.map((p, i) => new JVPTracer(trace, p, tangents[i]));
    const outs = f(...tracersIn).map((x) => fullRaise(trace, x) as JVPTracer);
    return [outs.map((t) => t.primal), outs.map((t) => instantiate(t.tangent))];
  });
}

// ---- public API ----

/**
 * `jvp(f, primals, tangents)` is `[f(...primals), J·tangents]`: the value and the directional
 * derivative of `f` along `tangents` (same tree and shapes as `primals`), in one forward pass.
 * @example
 * const [y, dy] = jvp((x: Tensor<[]>) => sin(x), [tensor(0)], [tensor(1)]); // y = 0, dy = cos 0 = 1
 * @category Transforms
 */
export function jvp<P extends unknown[], R>(f: (...args: P) => R, primals: P, tangents: P): [R, R] {
  const [pLeaves, inDef] = flatten(primals);
  const [tLeaves, tDef] = flatten(tangents);
  if (!tDef.equals(inDef)) throw new TypeError(`jvp: tangent structure ${tDef} differs from primal structure ${inDef}`);
  pLeaves.forEach((p, i) => {
    const t = tLeaves[i];
    if (!(p instanceof Tensor) || !(t instanceof Tensor)) throw new TypeError("jvp: primals and tangents must hold tensors");
    if (!sameShape(p.shape, t.shape) || p.dtype !== t.dtype) {
      throw new ShapeError(`jvp: tangent ${avalOf(t as T)} does not match primal ${avalOf(p as T)}`);
    }
  });
  const { fFlat, outDef } = flattenFun<P, T>(f, inDef);
  const [po, to] = jvpFlat(fFlat, pLeaves as T[], tLeaves as T[]);
  return [unflatten<R>(outDef(), po), unflatten<R>(outDef(), to)];
}
