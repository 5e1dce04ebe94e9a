/**
 * @file The package as a user gets it: `npm pack` (its `prepack` builds dist/), the tarball
 * installed into an empty project with no network (`npm ci --offline`: typegrad's dependencies,
 * TypeScript and @types/node come from the npm cache, pinned by the integrity hashes of this
 * repository's own lockfile), then a program importing `typegrad` and `typegrad/node` is
 * type-checked against the published .d.ts (exact shapes: a deliberate shape error must be
 * reported, or its `@ts-expect-error` fails) and run.
 *
 * Slow by nature (a build, an install and a type-check of the published types): about half a
 * minute of CPU; its timeout allows for a machine shared with other work.
 */
import { afterAll, describe, expect, test } from "vitest";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "../..");
const work = mkdtempSync(join(tmpdir(), "typegrad-pack-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  dependencies?: Record<string, string>;
  dev?: boolean;
  devOptional?: boolean;
  [k: string]: unknown;
}

/** Runs a command and returns its output; a failure fails the test with everything it printed. */
function run(cmd: string, args: string[], cwd: string): string {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_(lifecycle|package|command)/.test(k)));
  const r = spawnSync(cmd, args, { cwd, env, encoding: "utf8", maxBuffer: 64 * 2 ** 20 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** The npm command: the one running this test when there is one, else npm on the PATH. */
function npm(args: string[], cwd: string): string {
  const cli = process.env.npm_execpath;
  return cli !== undefined && cli.endsWith(".js") ? run(process.execPath, [cli, ...args], cwd) : run("npm", args, cwd);
}

/**
 * The lock entries an app needs for `wanted` (names at its top level), copied from this
 * repository's lockfile by Node's lookup (nested node_modules first, then up to the root).
 */
function lockClosure(lock: Record<string, LockEntry>, wanted: string[]): Record<string, LockEntry> {
  const out: Record<string, LockEntry> = {};
  const visit = (name: string, from: string) => {
    let dir = from;
    for (;;) {
      const key = `${dir === "" ? "" : `${dir}/`}node_modules/${name}`;
      if (lock[key] !== undefined) {
        if (out[key] !== undefined) return;
        const { dev: _dev, devOptional: _devOptional, ...entry } = lock[key];
        out[key] = entry;
        for (const dep of Object.keys(entry.dependencies ?? {})) visit(dep, key);
        return;
      }
      if (dir === "") throw new Error(`lockfile has no ${name} for ${from || "the root"}`);
      const at = dir.lastIndexOf("/node_modules/");
      dir = at < 0 ? "" : dir.slice(0, at);
    }
  };
  for (const name of wanted) visit(name, "");
  return out;
}

/** The latest modification time of any file under `dir`. */
function newest(dir: string): number {
  return Math.max(...(readdirSync(dir, { recursive: true }) as string[]).map((f) => statSync(join(dir, f)).mtimeMs));
}

const program = `
import { io, matmul, nn, random, zeros, ones, Tensor, type Tensor as T } from "typegrad";
import { loadSafetensorsFile, saveSafetensorsFile } from "typegrad/node";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

type IsAny<X> = 0 extends 1 & X ? true : false;

const model = nn.serial(nn.dense(4, 8), nn.relu, nn.dense(8, 2));
const params = model.init(random.key(0));
const y: T<[3, 2]> = model.apply(params, zeros([3, 4]));
const notAny: IsAny<typeof y> = false;
const w: T<[4, 8]> = params[0].w;

// The published types know the shapes: each line below must be a compile error.
// @ts-expect-error inner dimensions differ: 3 vs 4
const wrongMatmul = () => matmul(zeros([2, 3]), zeros([4, 5]));
// @ts-expect-error the model takes 4 features
const wrongInput = () => model.apply(params, zeros([3, 5]));
const fromBytes = io.loadSafetensors(io.saveSafetensors(params), params);
const wrongLoad = () => {
  if (fromBytes._tag === "Left") return;
  // @ts-expect-error a loaded tree has the template's type: [4, 8], not [4, 9]
  const w9: T<[4, 9]> = fromBytes.right[0].w;
  return w9;
};
// @ts-expect-error only tensors are saved
const wrongSave = () => io.saveSafetensors({ w, lr: 0.1 });
void [wrongMatmul, wrongInput, wrongLoad, wrongSave, notAny];

const path = join(mkdtempSync(join(tmpdir(), "typegrad-app-")), "mlp.safetensors");
const saved = saveSafetensorsFile(path, params, { by: "app" });
const loaded = loadSafetensorsFile(path, model.init(random.key(1)));
if (saved._tag === "Left" || loaded._tag === "Left") throw new Error("round trip failed");
const back: typeof params = loaded.right;
const wider = nn.serial(nn.dense(4, 9), nn.relu, nn.dense(9, 2)).init(random.key(0));
const mismatch = loadSafetensorsFile(path, wider);
console.log(JSON.stringify({
  shape: y.shape,
  same: JSON.stringify(model.apply(back, ones([1, 4])).toArray()) === JSON.stringify(model.apply(params, ones([1, 4])).toArray()),
  isTensor: back[0].w instanceof Tensor,
  mismatch: mismatch._tag === "Left" ? mismatch.left.message : "accepted",
}));
`;

describe("the package installs and works", () => {
  test(
    "npm pack, an offline install into an empty project, tsc against the published types, a run",
    () => {
      // `prepack` builds dist/; when dist/ is newer than every source file (as in `npm test`, which
      // has just built it) the build is skipped. Its output comes before npm's JSON report, which
      // starts on a line of its own.
      const built = statSync(join(root, "dist", "index.js"), { throwIfNoEntry: false });
      const fresh = built !== undefined && Math.max(newest(join(root, "src")), statSync(join(root, "scripts", "build.mjs")).mtimeMs) <= built.mtimeMs;
      const report = npm(["pack", "--pack-destination", work, "--json", ...(fresh ? ["--ignore-scripts"] : [])], root);
      const packed = JSON.parse(report.slice(report.search(/^\[$/m))) as { filename: string; files: { path: string }[] }[];
      const files = packed[0].files.map((f) => f.path);
      expect(files.filter((f) => !f.startsWith("dist/") && !["package.json", "README.md", "LICENSE"].includes(f))).toEqual([]);
      expect(files).toEqual(expect.arrayContaining(["dist/index.js", "dist/index.d.ts", "dist/node.js", "dist/node.d.ts", "dist/io/index.d.ts"]));

      const tarball = join(work, packed[0].filename);
      const own = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string; license: string; dependencies: Record<string, string>; engines: unknown };
      const lock = (JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as { packages: Record<string, LockEntry> }).packages;
      const tools = { typescript: lock["node_modules/typescript"].version!, "@types/node": lock["node_modules/@types/node"].version! };
      const app = join(work, "app");
      mkdirSync(app);
      const dependencies = { typegrad: `file:../${packed[0].filename}`, ...tools };
      const integrity = `sha512-${createHash("sha512").update(readFileSync(tarball)).digest("base64")}`;
      const packages = {
        "": { name: "app", version: "1.0.0", dependencies },
        "node_modules/typegrad": { version: own.version, resolved: dependencies.typegrad, integrity, license: own.license, dependencies: own.dependencies, engines: own.engines },
        ...lockClosure(lock, [...Object.keys(own.dependencies), ...Object.keys(tools)]),
      };
      writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", version: "1.0.0", private: true, type: "module", dependencies }, null, 2));
      writeFileSync(join(app, "package-lock.json"), JSON.stringify({ name: "app", version: "1.0.0", lockfileVersion: 3, requires: true, packages }, null, 2));
      // What `tsc --init` gives a Node ES module project, but checking the libraries' .d.ts too.
      const tsconfig = { compilerOptions: { strict: true, module: "nodenext", moduleResolution: "nodenext", target: "es2022", types: ["node"], outDir: "out", skipLibCheck: false }, files: ["main.ts"] };
      writeFileSync(join(app, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
      writeFileSync(join(app, "main.ts"), program);

      npm(["ci", "--offline", "--no-audit", "--no-fund", "--ignore-scripts"], app);
      const installed = join(app, "node_modules", "typegrad");
      expect(readdirSync(installed).sort()).toEqual(expect.arrayContaining(["dist", "package.json"]));
      expect(() => statSync(join(installed, "src"))).toThrow();
      for (const f of readdirSync(join(installed, "dist"), { recursive: true }) as string[]) {
        if (f.endsWith(".d.ts")) expect(readFileSync(join(installed, "dist", f), "utf8")).not.toMatch(/["']\.\.?\/(\.\.\/)*src\//);
      }

      run(process.execPath, [join(app, "node_modules", "typescript", "bin", "tsc"), "-p", "."], app);
      const out = JSON.parse(run(process.execPath, [join(app, "out", "main.js")], app)) as Record<string, unknown>;
      expect(out).toEqual({
        shape: [3, 2],
        same: true,
        isTensor: true,
        mismatch: "io.loadSafetensors: 3 mismatches: 0.w: file has [4, 8], model expects [4, 9]; 0.b: file has [8], model expects [9]; 2.w: file has [8, 2], model expects [9, 2]",
      });
    },
    240_000,
  );
});
