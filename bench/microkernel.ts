// The inner loop of the product kernel against wider ones: R rows of A (splat) times one 8-column
// panel of B (two vectors), 2R accumulators, a multiply and an add per step (WebAssembly SIMD128
// has no fused multiply-add outside relaxed SIMD), operands in L1, on one thread. Shows whether a
// larger register tile than the kernel's 4×8 would compute faster in this engine.
//   npx tsx bench/microkernel.ts
import { Code, encodeModule, I32, V128 } from "../src/backend/wasm/emit.js";

/** run(a, b, k, reps): `reps` times, the R×8 tile Σ_p a[p·R + r]·b[p·8 + j] over p < k, stored at 0. */
function tile(rows: number): Code {
  const code = new Code(4);
  const [A, B, K, REPS] = [0, 1, 2, 3];
  const [p, rep, ap, bp] = [code.local(I32), code.local(I32), code.local(I32), code.local(I32)];
  const acc = Array.from({ length: 2 * rows }, () => code.local(V128));
  const [b0, b1, a] = [code.local(V128), code.local(V128), code.local(V128)];
  code.i32(0).set(rep);
  code.block().loop();
  code.get(rep).get(REPS).i32GeU().brIf(1);
  for (const v of acc) code.v128Zero().set(v);
  code.get(A).set(ap).get(B).set(bp).i32(0).set(p);
  code.block().loop();
  code.get(p).get(K).i32GeU().brIf(1);
  code.get(bp).v128Load(0).set(b0).get(bp).v128Load(16).set(b1);
  for (let r = 0; r < rows; r++) {
    code.get(ap).f32x4LoadSplat(4 * r).set(a);
    code.get(acc[2 * r]).get(a).get(b0).f32x4Mul().f32x4Add().set(acc[2 * r]);
    code.get(acc[2 * r + 1]).get(a).get(b1).f32x4Mul().f32x4Add().set(acc[2 * r + 1]);
  }
  code.get(bp).i32(32).i32Add().set(bp).get(ap).i32(4 * rows).i32Add().set(ap).get(p).i32(1).i32Add().set(p);
  code.br(0);
  code.end().end();
  acc.forEach((v, i) => code.i32(0).get(v).v128Store(16 * i));
  code.get(rep).i32(1).i32Add().set(rep);
  code.br(0);
  code.end().end();
  return code;
}

const memory = new WebAssembly.Memory({ initial: 2 });
new Float32Array(memory.buffer).fill(0.5);
const K = 256;
const REPS = 20000;
const speeds = new Map<number, number[]>();
for (let round = 0; round < 3; round++) {
  for (const rows of [4, 5, 6, 7, 8]) {
    const bytes = encodeModule([{ name: "run", params: [I32, I32, I32, I32], results: [], code: tile(rows) }]);
    const run = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports.run as (a: number, b: number, k: number, reps: number) => void;
    // warm: long enough for the optimizing tier to take over
    run(4096, 65536, K, REPS);
    await new Promise((resolve) => setTimeout(resolve, 100));
    run(4096, 65536, K, REPS);
    const t = performance.now();
    run(4096, 65536, K, REPS);
    const seconds = (performance.now() - t) / 1000;
    speeds.set(rows, [...(speeds.get(rows) ?? []), (2 * rows * 8 * K * REPS) / seconds / 1e9]);
  }
}
console.log(`# one thread, operands in L1, Node ${process.version}; best of 3 rounds`);
for (const [rows, s] of speeds) console.log(`${rows}×8 tile: ${Math.max(...s).toFixed(1)} GFLOP/s`);
