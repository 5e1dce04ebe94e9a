/**
 * @file The interpreter stack (Autodidax Part 1): `MainTrace`s, `Trace`s, `Tracer`s and `bind`,
 * which routes every primitive application to the innermost transform whose tracers it touches.
 */
import type { DType } from "../dtype.js";
import { ShapedArray } from "./aval.js";
import type { PrimName, PrimParams } from "./primitive.js";
import { primitives } from "./rule-table.js";
import { Tensor, TraceError, type ConcreteLike } from "./tensor.js";
import { SymbolicZero } from "./zero.js";
import { ConcreteTensor } from "./concrete.js";
import { currentNanCheck } from "./debug-state.js";

/** A constructor of the trace kind that interprets one level of the stack. */
export type TraceKind = new (main: MainTrace) => Trace;

/** One level of the interpreter stack: which transform, and its per-transform state. */
export class MainTrace {
  constructor(
    readonly level: number,
    readonly kind: TraceKind,
    readonly globalData: unknown,
  ) {}
}

/**
 * Interprets primitives applied to its own tracers. `pure` and `lift` bring values from lower
 * levels (concrete tensors or outer transforms' tracers) into this trace.
 */
export abstract class Trace {
  constructor(readonly main: MainTrace) {}
  abstract pure(x: Tensor<readonly (number | string)[], DType>): Tensor<readonly (number | string)[], DType>;
  abstract lift(x: Tracer): Tensor<readonly (number | string)[], DType>;
  abstract processPrimitive<P extends PrimName>(prim: P, args: AnyT[], params: PrimParams[P]): AnyT[];
}

type AnyT = Tensor<readonly (number | string)[], DType>;

/** A tensor that stands for a value inside a transform; its trace interprets the ops applied to it. */
export abstract class Tracer extends Tensor<readonly (number | string)[], DType> {
  abstract readonly trace: Trace;
  abstract get aval(): ShapedArray;

  override get shape(): number[] {
    return this.aval.shape as number[];
  }

  override get dtype(): DType {
    return this.aval.dtype;
  }

  /** The value to hand to lower levels; a tracer that adds nothing may unwrap itself. */
  fullLower(): AnyT {
    return this;
  }

  override concrete(): ConcreteLike | null {
    return null;
  }

  /** A tracer escapes when its transform returns: its level is then off the stack, or another's. */
  protected override escaped(): boolean {
    const main = this.trace.main;
    return stack[main.level] !== main;
  }
}

/** Level 0: applies primitives to concrete tensors at once, on the JS backend. */
export class EvalTrace extends Trace {
  override pure(x: AnyT): AnyT {
    return x;
  }

  override lift(x: Tracer): AnyT {
    return x;
  }

  override processPrimitive<P extends PrimName>(prim: P, args: AnyT[], params: PrimParams[P]): AnyT[] {
    const def = primitives[prim];
    def.shape(args.map(avalOf), params); // validates: throws ShapeError before any kernel runs
    const check = currentNanCheck();
    if (check === null) return def.impl(args as ConcreteTensor[], params);
    return check.run(prim, params, args as ConcreteTensor[], () => def.impl(args as ConcreteTensor[], params));
  }
}

const stack: MainTrace[] = [new MainTrace(0, EvalTrace, null)];
let dynamicTrace: MainTrace | null = null;

/** Runs `body` with a new innermost level of kind `kind` on the stack. */
export function newMain<R>(kind: TraceKind, globalData: unknown, body: (main: MainTrace) => R): R {
  const main = new MainTrace(stack.length, kind, globalData);
  stack.push(main);
  try {
    return body(main);
  } finally {
    stack.pop();
  }
}

/**
 * Runs `body` with `main` as the dynamic trace: every primitive is staged into it, even one whose
 * inputs are all concrete (how `jit` captures constant computations; Autodidax `new_dynamic`).
 */
export function newDynamic<R>(main: MainTrace, body: () => R): R {
  const previous = dynamicTrace;
  dynamicTrace = main;
  try {
    return body();
  } finally {
    dynamicTrace = previous;
  }
}

/** The abstract value of any tensor. */
export function avalOf(x: AnyT): ShapedArray {
  return x instanceof Tracer ? x.aval : new ShapedArray(x.shape, x.dtype);
}

/** Applies a primitive, letting the innermost relevant trace interpret it. */
export function bind<P extends PrimName>(prim: P, args: readonly AnyT[], params: PrimParams[P]): AnyT[] {
  const trace = findTopTrace(args);
  const tracers = args.map((x) => fullRaise(trace, x));
  const outs = trace.processPrimitive(prim, tracers, params);
  return outs.map((out) => (out instanceof Tracer ? out.fullLower() : out));
}

/** `bind` for primitives with one output. */
export function bind1<P extends PrimName>(prim: P, args: readonly AnyT[], params: PrimParams[P]): AnyT {
  return bind(prim, args, params)[0];
}

function findTopTrace(args: readonly AnyT[]): Trace {
  let top = stack[0];
  for (const x of args) {
    if (!(x instanceof Tracer)) continue;
    const main = x.trace.main;
    // A tracer whose transform has returned would stage into a trace nobody reads: refuse it now.
    if (stack[main.level] !== main) throw escaped();
    if (main.level > top.level) top = main;
  }
  if (dynamicTrace !== null && dynamicTrace.level > top.level) top = dynamicTrace;
  return new top.kind(top);
}

/** A symbolic zero as a real tensor (a broadcast scalar); any other tensor as it is. */
export function instantiate(x: AnyT): AnyT {
  if (!(x instanceof SymbolicZero)) return x;
  const scalar = ConcreteTensor.full([], 0, x.dtype);
  return x.ndim === 0 ? scalar : bind1("broadcastInDim", [scalar], { shape: x.shape, broadcastDims: [] });
}

/** Brings `x` into `trace`, from a lower level if need be. */
export function fullRaise(trace: Trace, x: AnyT): AnyT {
  if (x instanceof SymbolicZero) x = instantiate(x);
  if (!(x instanceof Tracer)) return trace.main.level === 0 ? x : trace.pure(x);
  const main = x.trace.main;
  if (main === trace.main) return x;
  if (stack[main.level] !== main) throw escaped();
  if (main.level < trace.main.level) return trace.lift(x);
  throw escaped();
}

function escaped(): TraceError {
  return new TraceError(
    "a traced value escaped the transform that made it (for example a tracer stored in an outer " +
      "variable inside jit, grad or vmap and used after it returned); pass it in and out as arguments instead",
  );
}
