/**
 * @file Harness cases of the custom-derivative, rematerialization and debugging primitives
 * (`customJvpCall`, `customVjpCall`, `customLin`, `checkpoint`, `debugPrint`): small programs
 * staged into their params, with correct derivative rules, so that every check of the harness
 * applies (derivatives against finite differences validate the rules end to end). Forward mode
 * through `customVjpCall` and any evaluation of `customLin` are errors by design: their cases
 * list those checks as unsupported, and the harness asserts the error instead.
 */
import fc from "fast-check";
import { ShapedArray } from "../../src/core/aval.js";
import { ConcreteTensor } from "../../src/core/concrete.js";
import { makeJaxprFlat } from "../../src/core/make-jaxpr.js";
import * as ops from "../../src/core/ops.js";
import type { AnyTensor } from "../../src/core/ops.js";
import { OpaqueFn, type RematPolicy } from "../../src/core/primitive.js";
import { setDebugPrintSink } from "../../src/core/debug-state.js";
import type { DType } from "../../src/dtype.js";
import { jvpFlat } from "../../src/transforms/jvp.js";
import { vjpFlat } from "../../src/transforms/vjp.js";
import { range, shapeArb, sizeOf } from "../helpers/random-shapes.js";
import { tensor } from "../helpers/tensors.js";
import type { CaseDef, InputSpec } from "./cases.js";
import { COMMON_BODIES, type Body } from "./bodies.js";

type T = AnyTensor;

// The harness runs debugPrint thousands of times: its output goes nowhere here.
setDebugPrintSink(() => {});

const FLOATS: readonly DType[] = ["float64", "float32"];


const BODIES: readonly Body[] = [
  ...COMMON_BODIES,
  {
    name: "closure",
    shapes: shapeArb({ minRank: 1 }).map((s) => [s]),
    kinds: ["real"],
    build: ([s], dtype) => {
      const c = tensor(
        range(sizeOf(s)).map((i) => 0.5 + 0.25 * i),
        s,
        dtype,
      );
      return (x) => [ops.add(ops.mul(ops.cos(x), c), ops.broadcastInDim(ConcreteTensor.full([], 0.5, dtype), x.shape, []))];
    },
  },
];

interface Built {
  readonly body: Body;
  readonly shapes: number[][];
  readonly fn: (...xs: T[]) => T[];
  readonly avals: ShapedArray[];
  readonly args: InputSpec[];
}

/**
 * A body and its shapes. `withConsts: false` leaves out the body closing over a tensor: the custom
 * calls take such constants as operands that must carry no tangent (a closure over a value being
 * differentiated is an error), while the harness differentiates with respect to every operand.
 */
function builtArb(dtype: DType, withConsts = true): fc.Arbitrary<Built> {
  const bodies = withConsts ? BODIES : BODIES.filter((b) => b.name !== "closure");
  return fc
    .integer({ min: 0, max: bodies.length - 1 })
    .chain((b) => bodies[b].shapes.map((shapes) => ({ body: bodies[b], shapes })))
    .map(({ body, shapes }) => ({
      body,
      shapes,
      fn: body.build(shapes, dtype),
      avals: shapes.map((s) => new ShapedArray(s, dtype)),
      args: shapes.map((s, i): InputSpec => ({ shape: s, dtype, kind: body.kinds[i] })),
    }));
}

const constSpecs = (consts: readonly T[]): InputSpec[] => consts.map((c) => ({ shape: c.shape, dtype: c.dtype, kind: "real" }));

export const customJvpCallCase: CaseDef<"customJvpCall"> = {
  prim: "customJvpCall",
  dtypes: FLOATS,
  struct: (dtype) =>
    builtArb(dtype, false).map(({ body, fn, avals, args }) => {
      const fun = makeJaxprFlat(fn, avals);
      // The rule is the function's true JVP (so finite differences agree with it), staged apart.
      const n = avals.length;
      const rule = makeJaxprFlat((...pt: T[]) => {
        const [po, to] = jvpFlat(fn, pt.slice(0, n), pt.slice(n));
        return [...po, ...to];
      }, [...avals, ...avals]);
      return {
        inputs: [...constSpecs(fun.consts), ...constSpecs(rule.consts), ...args],
        params: { fun: fun.jaxpr, jvp: rule.jaxpr, numFunConsts: fun.consts.length, numJvpConsts: rule.consts.length, name: body.name },
      };
    }),
  apply: (args, params) => ops.bind("customJvpCall", args, params),
};

export const customVjpCallCase: CaseDef<"customVjpCall"> = {
  prim: "customVjpCall",
  dtypes: FLOATS,
  unsupported: { jvp: /forward-mode differentiation/, jvp2: /forward-mode differentiation/, vjp: /forward-mode differentiation/ },
  struct: (dtype) =>
    builtArb(dtype, false).map(({ body, fn, avals, args }) => {
      const fun = makeJaxprFlat(fn, avals);
      const numOuts = fun.jaxpr.outs.length;
      // Residuals are the inputs; bwd is the library's own pullback, recomputed from them.
      const fwd = new OpaqueFn((...xs: T[]) => [...fn(...xs), ...xs], `fwd(${body.name})`);
      const bwd = new OpaqueFn((res: readonly T[], cts: readonly T[]) => vjpFlat(fn, res)[1](cts.slice(0, numOuts)), `bwd(${body.name})`);
      return {
        inputs: [...constSpecs(fun.consts), ...args],
        params: { fun: fun.jaxpr, numConsts: fun.consts.length, fwd, bwd, name: body.name },
      };
    }),
  apply: (args, params) => ops.bind("customVjpCall", args, params),
};

const forwardMode = /forward-mode differentiation/;

export const customLinCase: CaseDef<"customLin"> = {
  prim: "customLin",
  dtypes: FLOATS,
  // Evaluating the linear map forward is what it cannot do; its transpose runs in every grad
  // check of customVjpCall.
  unsupported: { values: forwardMode, jitValues: forwardMode, jvp: forwardMode, vjp: forwardMode, vmap: forwardMode, jit: forwardMode, grad: forwardMode, jvp2: forwardMode, vmapVjp: forwardMode },
  struct: (dtype) =>
    shapeArb().map((shape) => ({
      inputs: [
        { shape, dtype, kind: "real" },
        { shape, dtype, kind: "real" },
      ],
      params: {
        bwd: new OpaqueFn((res: readonly T[], cts: readonly T[]) => [ops.mul(res[0], cts[0])], "bwd(scale)"),
        numRes: 1,
        outAvals: [new ShapedArray(shape, dtype)],
        name: "scale",
      },
    })),
  apply: (args, params) => ops.bind("customLin", args, params),
};

const POLICIES: readonly RematPolicy[] = ["nothingSaveable", "dotsSaveable", "everythingSaveable"];

export const checkpointCase: CaseDef<"checkpoint"> = {
  prim: "checkpoint",
  dtypes: FLOATS,
  struct: (dtype) =>
    fc.tuple(builtArb(dtype), fc.constantFrom(...POLICIES)).map(([{ body, fn, avals, args }, policy]) => {
      const closed = makeJaxprFlat(fn, avals);
      return {
        inputs: [...constSpecs(closed.consts), ...args],
        params: { jaxpr: closed.jaxpr, numConsts: closed.consts.length, policy, name: body.name },
      };
    }),
  apply: (args, params) => ops.bind("checkpoint", args, params),
};

export const debugPrintCase: CaseDef<"debugPrint"> = {
  prim: "debugPrint",
  dtypes: ["float64", "float32", "int32", "bool"],
  struct: (dtype) =>
    fc.array(shapeArb(), { minLength: 1, maxLength: 2 }).map((shapes) => ({
      inputs: shapes.map((shape): InputSpec => ({ shape, dtype, kind: dtype === "bool" ? "bool" : dtype === "int32" ? "int" : "real" })),
      params: { label: "x" },
    })),
  apply: (args, params) => ops.bind("debugPrint", args, params),
};
