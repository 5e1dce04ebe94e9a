// Prints non-blank lines per source directory, the number of primitives and of ALU ops, and
// fails when a source file passes the hard cap (STYLE.md: 600 non-blank lines).
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const HARD_CAP = 600;
const SOFT_CAP = 400;

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith(".ts") ? [path] : [];
  });
}

const nonBlank = (path) => readFileSync(path, "utf8").split("\n").filter((l) => l.trim() !== "").length;
const byDir = new Map();
const over = [];
const large = [];
for (const path of files("src")) {
  const n = nonBlank(path);
  const dir = relative("src", path).split("/").slice(0, -1).join("/") || ".";
  byDir.set(dir, (byDir.get(dir) ?? 0) + n);
  if (n > HARD_CAP) over.push(`${path} (${n})`);
  else if (n > SOFT_CAP) large.push(`${path} (${n})`);
}

const primitiveFiles = readdirSync("src/primitives").filter((f) => f.endsWith(".ts") && !f.startsWith("_") && f !== "index.ts");
// The kernel IR's instruction set: the quoted names in ALU_OPS of src/compiler/alu.ts.
const ir = readFileSync("src/compiler/alu.ts", "utf8");
const listed = ir.match(/ALU_OPS\s*=\s*\[([^\]]*)\]/);
if (!listed) {
  console.error("size: no ALU_OPS list in src/compiler/alu.ts");
  process.exit(1);
}
const aluOps = String((listed[1].match(/"[a-z0-9]+"/gi) ?? []).length);

const rows = [...byDir.entries()].sort();
const width = Math.max(...rows.map(([d]) => d.length), 10);
console.log(`${"directory".padEnd(width)}  lines`);
for (const [dir, n] of rows) console.log(`${dir.padEnd(width)}  ${String(n).padStart(5)}`);
const core = ["core", "primitives", "transforms"].reduce((acc, d) => acc + [...byDir].filter(([k]) => k === d || k.startsWith(d + "/")).reduce((a, [, n]) => a + n, 0), 0);
console.log(`${"total".padEnd(width)}  ${String([...byDir.values()].reduce((a, b) => a + b, 0)).padStart(5)}`);
console.log(`core (core + primitives + transforms): ${core} lines`);
console.log(`primitives: ${primitiveFiles.length}`);
console.log(`ALU ops: ${aluOps}`);
if (large.length) console.log(`above the soft cap of ${SOFT_CAP}: ${large.join(", ")}`);
if (over.length) {
  console.error(`above the hard cap of ${HARD_CAP} non-blank lines: ${over.join(", ")}`);
  process.exit(1);
}

// The core bundle (dist/index.js and the chunks it imports) must not carry the ONNX exporter's
// protobuf writer: that lives in dist/onnx.js alone (see scripts/build.mjs).
if (existsSync("dist/index.js")) {
  const imported = (file) => [...readFileSync(file, "utf8").matchAll(/from "\.\/(chunks\/[^"]+\.js)"/g)].map((m) => join("dist", m[1]));
  const core = ["dist/index.js", ...imported("dist/index.js")];
  const bytes = core.reduce((acc, f) => acc + statSync(f).size, 0);
  console.log(`core bundle (dist/index.js + chunks): ${bytes} bytes; dist/onnx.js: ${existsSync("dist/onnx.js") ? statSync("dist/onnx.js").size : 0} bytes`);
  const leaked = core.filter((f) => readFileSync(f, "utf8").includes("node_modules/protobufjs"));
  if (leaked.length) {
    console.error(`the core bundle carries protobufjs (${leaked.join(", ")}): import it from src/onnx/ only`);
    process.exit(1);
  }
}
