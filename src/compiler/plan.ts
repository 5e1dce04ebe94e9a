/**
 * @file The planner: compiles a jaxpr into a plan for the current backend: fused loops
 * (fusion.ts) compiled by the backend (backend/backend.ts), the other equations direct calls of
 * the primitives' kernels over a register file, with no tracing machinery in between (shapes were
 * checked when the jaxpr was built). Each intermediate's buffer goes back to the plan's pool after
 * its last use (backend/buffer-pool.ts), for later kernels to reuse. `jitCall` executes these plans.
 */
import { ConcreteTensor } from "../core/concrete.js";
import { Lit, Printer, Var, type Eqn, type Jaxpr } from "../core/jaxpr.js";
import { simplify } from "./simplify.js";
import { fuse, printKernel, type FusedKernel } from "./fusion.js";
import { attachEpilogues, isEpilogue, stepInputs, stepOutputs, type WithEpilogue } from "./epilogue.js";
import { primitives } from "../core/rule-table.js";
import { inlineCalls } from "./inline.js";
import { setStorageSource, type Storage } from "../dtype.js";
import { BufferPool, POOLED_MIN, isSurvivor } from "../backend/buffer-pool.js";
import { currentBackend, type Backend } from "../backend/backend.js";
import type { Backend as BackendName } from "../backend/config.js";

/**
 * A compiled jaxpr: concrete inputs in, concrete outputs out. Buffers of inputs flagged in
 * `donated` may be reused once their last reader has run.
 */
export type Plan = (args: readonly ConcreteTensor[], donated?: readonly boolean[]) => ConcreteTensor[];

interface Step {
  /** A primitive's kernel, or a fused loop. */
  readonly run: (ins: ConcreteTensor[]) => ConcreteTensor[];
  /** Register of each input, or the literal itself. */
  readonly inputs: readonly (number | ConcreteTensor)[];
  readonly outputs: readonly number[];
  /** Registers whose last use is this step: cleared after it runs (before, when `releaseFirst`). */
  readonly release: number[];
  /** Whether the step reads every input before it allocates an output (backend.readsInputsFirst). */
  readonly releaseFirst: boolean;
  /**
   * Whether one of its results is a result of the program: then its outputs get ordinary storage,
   * not resident (they would be copied out at the end; the kernel copies them out itself, while
   * the workers compute, and a donated argument's buffer may take the update in place), except an
   * output that replaces a donated argument of its size, which gets resident storage that outlives
   * the run (buffer-pool.ts `survivor`).
   */
  leaves: boolean;
}

const plans: Record<BackendName, WeakMap<Jaxpr, Plan>> = { wasm: new WeakMap(), js: new WeakMap() };

/** The plan of `jaxpr` for the current backend, compiled on first use and cached with the jaxpr. */
export function planOf(jaxpr: Jaxpr): Plan {
  const backend = currentBackend();
  const cache = plans[backend.name];
  let plan = cache.get(jaxpr);
  if (plan === undefined) {
    // Custom derivative calls are plain calls once running: their equations join the program.
    plan = compile(inlineCalls(jaxpr), backend);
    cache.set(jaxpr, plan);
  }
  return plan;
}

const simplified = new WeakMap<Jaxpr, Jaxpr>();

/**
 * The plan of a jaxpr held in a primitive's params (a loop body, a branch of a `cond`): simplified
 * first, as `jit` simplifies the program around it, then compiled once and cached with the jaxpr.
 */
export function innerPlanOf(jaxpr: Jaxpr): Plan {
  let s = simplified.get(jaxpr);
  if (s === undefined) {
    s = simplify(jaxpr);
    simplified.set(jaxpr, s);
  }
  return planOf(s);
}

function compile(jaxpr: Jaxpr, backend: Backend): Plan {
  const registers = new Map<Var, number>();
  const register = (v: Var): number => {
    let r = registers.get(v);
    if (r === undefined) {
      r = registers.size;
      registers.set(v, r);
    }
    return r;
  };
  const inputRegs = jaxpr.inBinders.map(register);
  const lastUse = new Map<number, number>();
  const steps: Step[] = withEpilogues(jaxpr, backend).map((item, e) => {
    const inputs = stepInputs(item).map((x) => (x instanceof Lit ? x.val : register(x)));
    for (const x of inputs) if (typeof x === "number") lastUse.set(x, e);
    const outputs = stepOutputs(item).map(register);
    const run: Step["run"] = isEpilogue(item) ? backend.epilogue!(item.eqn, item.loop, item.operand)! : "prim" in item ? kernelOf(item) : backend.compile(item);
    const releaseFirst = !isEpilogue(item) && !("prim" in item) && backend.readsInputsFirst(item);
    return { run, inputs, outputs, release: [] as number[], releaseFirst, leaves: false };
  });
  const outs = jaxpr.outs.map((x) => (x instanceof Lit ? x.val : register(x)));
  for (const step of steps) step.leaves = step.outputs.some((r) => outs.includes(r));
  for (const x of outs) if (typeof x === "number") lastUse.set(x, Infinity);
  for (const [reg, e] of lastUse) if (e !== Infinity) steps[e].release.push(reg);
  const size = registers.size;
  const frozen: readonly Step[] = steps;
  // Literal buffers belong to the program: never released into the pool.
  const pinned = new Set<Storage>();
  for (const step of steps) for (const x of step.inputs) if (typeof x !== "number") pinned.add(x.storage);
  const pool = new BufferPool(backend.residentStore());
  return (args, donated) => {
    const previous = setStorageSource(pool);
    const outer = pool.open(previous !== null);
    try {
      let results: ConcreteTensor[];
      try {
        results = execute(args, donated);
      } finally {
        setStorageSource(previous);
      }
      // A run that took nothing from the store returns none of its storage: resident results are
      // then the caller's own (arguments, or views of them), whose run frees them.
      return pool.took ? copyOut(results, args, pool) : results;
    } finally {
      pool.close(outer);
    }
  };

  function execute(args: readonly ConcreteTensor[], donated: readonly boolean[] | undefined): ConcreteTensor[] {
    const env: (ConcreteTensor | undefined)[] = new Array(size);
    // Registers holding each tracked buffer; arguments count forever (the caller owns them),
    // except donated ones, whose buffers are released after their last reader like intermediates.
    const holders = new Map<Storage, number>();
    // donated arguments' buffers: a result of their size may outlive the run in the resident store
    let donatedBuffers: Set<Storage> | undefined;
    for (let i = 0; i < inputRegs.length; i++) {
      env[inputRegs[i]] = args[i];
      const s = args[i].storage;
      if (s.length < POOLED_MIN) continue;
      holders.set(s, donated?.[i] && holders.get(s) !== Infinity ? (holders.get(s) ?? 0) + 1 : Infinity);
      if (donated?.[i]) (donatedBuffers ??= new Set()).add(s);
    }
    // Resident storage released before a step is freed after it: the step's output may take the
    // storage of an input released first only if it is that same storage (an ordinary donated
    // buffer), never a block of the heap that merely overlaps it (freed blocks merge).
    let deferred: ConcreteTensor[] | undefined;
    const release = (regs: readonly number[], early = false): void => {
      for (const r of regs) {
        const t = env[r]!;
        env[r] = undefined;
        if (t.storage.length < POOLED_MIN) continue;
        const held = holders.get(t.storage);
        if (held === undefined) continue;
        if (held > 1) holders.set(t.storage, held - 1);
        else if (!pinned.has(t.storage)) {
          holders.delete(t.storage);
          if (donatedBuffers?.has(t.storage)) pool.released(t.dtype, t.storage.length);
          if (early && pool.resident?.holds(t.storage)) (deferred ??= []).push(t);
          else pool.give(t.dtype, t.storage);
        }
      }
    };
    for (const step of frozen) {
      const ins = step.inputs.map((x) => (typeof x === "number" ? env[x]! : x));
      // An input dying here may lend its buffer to the output (e.g. p − lr·g into p's buffer):
      // one buffer of each updated parameter fewer than if it were released after the step.
      if (step.releaseFirst) release(step.release, true);
      pool.ordinary = step.leaves;
      const results = step.run(ins);
      pool.ordinary = false;
      for (let i = 0; i < step.outputs.length; i++) {
        const t = results[i];
        env[step.outputs[i]] = t;
        if (t.storage.length >= POOLED_MIN) holders.set(t.storage, (holders.get(t.storage) ?? 0) + 1);
      }
      if (!step.releaseFirst) release(step.release);
      while (deferred !== undefined && deferred.length > 0) {
        const t = deferred.pop()!;
        pool.give(t.dtype, t.storage);
      }
    }
    return outs.map((x) => (typeof x === "number" ? env[x]! : x));
  }
}

/**
 * The results with those in the resident store (storage the run took, freed when it ends) copied
 * out into ordinary storage: a released ordinary buffer of the run (a donated argument's: updated
 * parameters land where the old ones were), else a new array. An argument's own storage belongs to
 * the caller and is returned as it is.
 */
function copyOut(results: ConcreteTensor[], args: readonly ConcreteTensor[], pool: BufferPool): ConcreteTensor[] {
  const store = pool.resident!;
  let argStorage: Set<Storage> | undefined;
  const copies = new Map<Storage, Storage>();
  return results.map((t) => {
    // (a donated update's resident storage outlives the run: buffer-pool.ts `survivor`)
    if (!store.holds(t.storage) || isSurvivor(t.storage)) return t;
    argStorage ??= new Set(args.map((a) => a.storage));
    if (argStorage.has(t.storage)) return t;
    let copy = copies.get(t.storage);
    if (copy === undefined) {
      const reused = pool.takeOrdinary(t.dtype, t.storage.length);
      if (reused !== undefined) (reused as Float32Array).set(t.storage as Float32Array);
      copy = reused ?? (t.dtype === "bool" ? new Uint8Array(t.storage as Uint8Array) : new Float32Array(t.storage as Float32Array));
      copies.set(t.storage, copy);
    }
    return ConcreteTensor.wrap(copy, t.shape, t.dtype);
  });
}

/**
 * A loop of one operation still pays when it saves materializing a broadcast operand, when the
 * generic kernel is slow (a transcendental function: Math.tanh costs ≈ 17 ns; a select, compare
 * or cast, whose generic loops handle every dtype), or when it is long enough for a vectorized
 * loop (SIMD, shared with the worker pool) to beat the generic kernel by more than the copies in
 * and out cost.
 */
const WORTH_A_LOOP_ALONE = new Set<string>(["Exp", "Log", "Tanh", "Erf", "Expm1", "Log1p", "Select", "Cast", "Lt", "Le", "Gt", "Ge", "Eq", "Ne"]);
const LONG_LOOP = 1 << 14;

/** The jaxpr's equations as single equations and fused kernels, in the order they run. */
export function scheduleOf(jaxpr: Jaxpr, backend: Backend = currentBackend()): (Eqn | FusedKernel)[] {
  return fuse(jaxpr, (k) => backend.supports(k) && worthALoop(k, backend), (k) => backend.vectorizes(k));
}

/** The steps a plan of `jaxpr` runs: its schedule with the epilogues the backend's kernels take (compiler/epilogue.ts). */
export function withEpilogues(jaxpr: Jaxpr, backend: Backend = currentBackend()): (Eqn | FusedKernel | WithEpilogue)[] {
  const schedule = scheduleOf(jaxpr, backend);
  const epilogue = backend.epilogue;
  return epilogue === undefined ? schedule : attachEpilogues(jaxpr, schedule, (eqn, loop, operand) => epilogue(eqn, loop, operand) !== null);
}

/** Whether a fused loop beats running its equations one by one. */
function worthALoop(k: FusedKernel, backend: Backend): boolean {
  const work = k.ops.filter((op) => op.op !== "Const").length + k.reductions.length;
  if (work >= 2) return true;
  // A single cheap operation gains nothing from a generated loop.
  if (work === 0 || k.scalar.every((isScalar) => isScalar)) return false;
  return k.access.some((a) => a.kind !== "flat") || k.ops.some((op) => WORTH_A_LOOP_ALONE.has(op.op)) || (k.size >= LONG_LOOP && backend.vectorizes(k));
}

/**
 * A readable listing of how `jaxpr` runs: each step is a kernel call (printed as its equation) or a
 * fused loop with its backend, operations and, for the JS lowering, the generated source.
 */
export function printSchedule(program: Jaxpr): string {
  const jaxpr = inlineCalls(program);
  const backend = currentBackend();
  const p = new Printer();
  const head = `{ kernels ${jaxpr.inBinders.map((v) => p.binder(v)).join(", ")} .`;
  const lines = withEpilogues(jaxpr, backend).map((step) => {
    if (isEpilogue(step)) {
      const listing = printKernel(step.loop, (v) => p.name(v), (v) => p.binder(v), (l) => p.atom(l));
      return `  call ${p.eqn(step.eqn, 7)}\n    with the epilogue${listing.slice(1)}`;
    }
    if ("prim" in step) return `  call ${p.eqn(step, 7)}`;
    const listing = printKernel(step, (v) => p.name(v), (v) => p.binder(v), (l) => p.atom(l));
    return `${listing}\n    ${backend.describe(step)}`;
  });
  return [head, ...lines, `  in ( ${jaxpr.outs.map((x) => p.atom(x)).join(", ")} ) }`].join("\n");
}

/** The kernel call of one equation, with its params bound. */
function kernelOf(eqn: Eqn): Step["run"] {
  const impl = primitives[eqn.prim].impl as (ins: ConcreteTensor[], params: unknown) => ConcreteTensor[];
  const params = eqn.params;
  return (ins) => impl(ins, params);
}
