/**
 * @file Staging a function into a jaxpr (Autodidax Part 2): `JaxprTrace` records every primitive
 * applied to its tracers as an equation; `makeJaxprFlat` runs a function on them.
 */
import type { DType } from "../dtype.js";
import { ShapedArray } from "./aval.js";
import { ConcreteTensor } from "./concrete.js";
import { ClosedJaxpr, Jaxpr, Lit, Var, type Atom, type Eqn } from "./jaxpr.js";
import type { PrimName, PrimParams } from "./primitive.js";
import { primitives } from "./rule-table.js";
import { MainTrace, Trace, Tracer, fullRaise, newDynamic, newMain } from "./trace.js";
import type { Tensor } from "./tensor.js";

type AnyT = Tensor<readonly (number | string)[], DType>;

/** A value being staged: it knows only its abstract value. */
export class JaxprTracer extends Tracer {
  constructor(
    readonly trace: JaxprTrace,
    private readonly _aval: ShapedArray,
  ) {
    super();
  }

  override get aval(): ShapedArray {
    return this._aval;
  }
}

/** Records primitives into the builder held by its main trace. */
export class JaxprTrace extends Trace {
  private get builder(): JaxprBuilder {
    return this.main.globalData as JaxprBuilder;
  }

  /** A fresh input of the jaxpr being built. */
  newArg(aval: ShapedArray): JaxprTracer {
    const tracer = new JaxprTracer(this, aval);
    this.builder.addVar(tracer);
    return tracer;
  }

  override pure(x: AnyT): AnyT {
    return this.builder.constTracer(this, x);
  }

  override lift(x: Tracer): AnyT {
    return this.builder.constTracer(this, x);
  }

  override processPrimitive<P extends PrimName>(prim: P, args: AnyT[], params: PrimParams[P]): AnyT[] {
    const tracers = args as JaxprTracer[];
    const avalsOut = primitives[prim].shape(
      tracers.map((t) => t.aval),
      params,
    );
    const outs = avalsOut.map((aval) => new JaxprTracer(this, aval));
    this.builder.addEqn({
      prim,
      inputs: tracers.map((t) => this.builder.varOf(t)),
      params,
      outBinders: outs.map((t) => this.builder.addVar(t)),
    } as Eqn);
    return outs;
  }
}

/** Accumulates the equations and constants of one staged function. */
export class JaxprBuilder {
  private readonly eqns: Eqn[] = [];
  private readonly vars = new Map<JaxprTracer, Var>();
  private readonly constTracers = new Map<AnyT, JaxprTracer>();
  private readonly constVals = new Map<Var, AnyT>();

  addVar(tracer: JaxprTracer): Var {
    const v = new Var(tracer.aval);
    this.vars.set(tracer, v);
    return v;
  }

  varOf(tracer: JaxprTracer): Var {
    const v = this.vars.get(tracer);
    if (v === undefined) throw new Error("JaxprBuilder: tracer from another jaxpr");
    return v;
  }

  addEqn(eqn: Eqn): void {
    this.eqns.push(eqn);
  }

  /** A tracer standing for a value from outside (a concrete constant or an outer tracer). */
  constTracer(trace: JaxprTrace, value: AnyT): JaxprTracer {
    let tracer = this.constTracers.get(value);
    if (tracer === undefined) {
      tracer = new JaxprTracer(trace, new ShapedArray(value.shape, value.dtype));
      this.constTracers.set(value, tracer);
      this.constVals.set(this.addVar(tracer), value);
    }
    return tracer;
  }

  /** The jaxpr from `inTracers` to `outTracers`, with constants as leading inputs; scalars inlined. */
  build(inTracers: JaxprTracer[], outTracers: JaxprTracer[]): ClosedJaxpr {
    const constVars = [...this.constVals.keys()];
    const inlined = new Map<Var, Lit>();
    const keptVars: Var[] = [];
    const consts: AnyT[] = [];
    for (const v of constVars) {
      const val = this.constVals.get(v)!;
      if (val instanceof ConcreteTensor && val.ndim === 0) inlined.set(v, new Lit(val));
      else {
        keptVars.push(v);
        consts.push(val);
      }
    }
    const atom = (x: Var): Atom => inlined.get(x) ?? x;
    const eqns = this.eqns.map((e) => ({ ...e, inputs: e.inputs.map((x) => (x instanceof Var ? atom(x) : x)) }));
    const inBinders = [...keptVars, ...inTracers.map((t) => this.varOf(t))];
    const outs = outTracers.map((t) => atom(this.varOf(t)));
    return new ClosedJaxpr(new Jaxpr(inBinders, eqns, outs), consts);
  }
}

/**
 * Stages `f` on abstract inputs into a closed jaxpr. Every primitive is staged, even on constants.
 */
export function makeJaxprFlat(f: (...args: AnyT[]) => AnyT[], avalsIn: readonly ShapedArray[]): ClosedJaxpr {
  const builder = new JaxprBuilder();
  return newMain(JaxprTrace, builder, (main: MainTrace) =>
    newDynamic(main, () => {
      const trace = new JaxprTrace(main);
      const tracersIn = avalsIn.map((aval) => trace.newArg(aval));
      const outs = f(...tracersIn).map((x) => fullRaise(trace, x) as JaxprTracer);
      return builder.build(tracersIn, outs);
    }),
  );
}
