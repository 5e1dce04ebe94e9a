// Finds import cycles among src/**/*.ts: reads each file's relative imports and re-exports that
// exist at run time, builds the module graph, and prints its strongly connected components of more
// than one file (or a file that imports itself), found with Tarjan's algorithm. Exits 1 when there
// is a cycle, unless `--report` is given (then it only prints).
//
// Type-only edges are left out: `import type …`, `export type … from`, and named imports or
// re-exports whose every specifier is marked `type` (`import { type A, type B } from`), since none
// of them decides the order in which modules are evaluated. Dynamic `import()` is left out too: it
// runs after every static import has been evaluated.
//
// NB: with `verbatimModuleSyntax` (tsconfig.json), `import { type A } from "./x.js"` compiles to
// `import {} from "./x.js"`, which still evaluates ./x.js. Such imports are ignored as asked, but
// listed as notes so they can be rewritten as `import type`.
//
// Dependency-free: regexes over the source with comments and template literals blanked out read
// every import form prettier writes, so no TypeScript parser is needed.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** Every `.ts` file under `dir`, recursively, as absolute paths. */
export function tsFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? tsFiles(path) : path.endsWith(".ts") ? [path] : [];
  });
}

// ---- comments and templates ----

/** Characters after which a `/` starts a regular expression rather than a division. */
const BEFORE_REGEX = new Set([..."(,=:[!&|?{};+-*%<>~^"]);

/**
 * `source` with every comment and template literal replaced by spaces (newlines kept), and
 * quoted strings and regular expressions left as they are: what is left of an `import` line is
 * code, and text that looks like an import inside a comment or a generated-source template is
 * not read. Templates nest (`${ … `…` … }`), so the scanner keeps a stack of open contexts.
 */
export function codeOnly(source) {
  const out = [...source];
  const blank = (from, to) => {
    for (let k = from; k < to; k++) if (out[k] !== "\n") out[k] = " ";
  };
  // Each entry is "code" (counting the `{` opened in it) or "template"; the bottom one is code.
  const stack = [{ kind: "code", braces: 0 }];
  let templateStart = -1;
  let prev = "";
  let i = 0;
  while (i < source.length) {
    const top = stack[stack.length - 1];
    const c = source[i];
    if (top.kind === "template") {
      if (c === "\\") i += 2;
      else if (c === "`") {
        stack.pop();
        i++;
        if (stack.length === 1) blank(templateStart, i);
        prev = "`";
      } else if (c === "$" && source[i + 1] === "{") {
        stack.push({ kind: "code", braces: 0 });
        prev = "{";
        i += 2;
      } else i++;
      continue;
    }
    if (c === "/" && source[i + 1] === "/") {
      const end = source.indexOf("\n", i);
      const stop = end < 0 ? source.length : end;
      blank(i, stop);
      i = stop;
    } else if (c === "/" && source[i + 1] === "*") {
      const end = source.indexOf("*/", i + 2);
      const stop = end < 0 ? source.length : end + 2;
      blank(i, stop);
      i = stop;
    } else if (c === '"' || c === "'") {
      i = skipQuoted(source, i, c);
      prev = c;
    } else if (c === "`") {
      if (stack.length === 1) templateStart = i;
      stack.push({ kind: "template" });
      i++;
    } else if (c === "/" && startsRegex(source, i, prev)) {
      i = skipRegex(source, i);
      prev = "/";
    } else {
      if (c === "{") top.braces++;
      else if (c === "}") {
        if (top.braces === 0 && stack.length > 1) stack.pop();
        else top.braces--;
      }
      if (!/\s/.test(c)) prev = c;
      i++;
    }
  }
  if (stack.length > 1 && templateStart >= 0) blank(templateStart, source.length);
  return out.join("");
}

/** True when the `/` at `i` opens a regular expression (after an operator or a keyword like `return`). */
function startsRegex(source, i, prev) {
  return prev === "" || BEFORE_REGEX.has(prev) || /\b(return|typeof|case|in|of|void|yield|await)\s*$/.test(source.slice(Math.max(0, i - 12), i));
}

/** The index just past the string literal opened by `quote` at `start`. */
function skipQuoted(source, start, quote) {
  let i = start + 1;
  while (i < source.length && source[i] !== quote && source[i] !== "\n") i += source[i] === "\\" ? 2 : 1;
  return i + 1;
}

/** The index just past the regular expression literal (and its flags) that starts at `start`. */
function skipRegex(source, start) {
  let i = start + 1;
  let inClass = false;
  while (i < source.length && source[i] !== "\n") {
    const c = source[i];
    if (c === "\\") i++;
    else if (c === "[") inClass = true;
    else if (c === "]") inClass = false;
    else if (c === "/" && !inClass) break;
    i++;
  }
  i++;
  while (i < source.length && /[a-z]/i.test(source[i])) i++;
  return i;
}

// ---- imports ----

/** True when a `{ … }` list has specifiers and every one is marked `type`. */
function allTypeSpecifiers(list) {
  const specs = list
    .split(",")
    .map((x) => x.trim())
    .filter((x) => x !== "");
  return specs.length > 0 && specs.every((x) => /^type\s/.test(x));
}

// Statements start a line (prettier puts each on its own), so `x.import(…)` and `import(…)`
// expressions are not read; a clause may span lines (`import {\n a,\n b,\n} from …`).
const SIDE_EFFECT = /^[ \t]*import\s*(["'])([^"'\n]+)\1/gm;
const IMPORT_FROM = /^[ \t]*import\s+([^;"'`()]*?)\s*\bfrom\s*(["'])([^"'\n]+)\2/gm;
const EXPORT_FROM = /^[ \t]*export\s+(type\s+)?(\*(?:\s+as\s+[\w$]+)?|\{[^}]*\})\s*from\s*(["'])([^"'\n]+)\3/gm;

/**
 * The module specifiers `source` imports or re-exports at run time (`runtime`), and those it
 * names only in all-`type` `{ … }` lists (`allType`: left out, but worth a note).
 */
export function runtimeImports(source) {
  const code = codeOnly(source);
  const runtime = [];
  const allType = [];
  for (const m of code.matchAll(SIDE_EFFECT)) runtime.push(m[2]);
  for (const m of code.matchAll(IMPORT_FROM)) {
    const clause = m[1].trim();
    // `import type X`, `import type { … }`, `import type * as X` (`import type, { … }` and
    // `import type from` import a default named `type`: a value).
    if (/^type\s+[^\s,]/.test(clause)) continue;
    const braces = clause.match(/^\{([\s\S]*)\}$/);
    if (braces && allTypeSpecifiers(braces[1])) allType.push(m[3]);
    else runtime.push(m[3]);
  }
  for (const m of code.matchAll(EXPORT_FROM)) {
    if (m[1]) continue;
    const braces = m[2].match(/^\{([\s\S]*)\}$/);
    if (braces && allTypeSpecifiers(braces[1])) allType.push(m[4]);
    else runtime.push(m[4]);
  }
  return { runtime, allType };
}

/** The `.ts` file a relative specifier of `from` names, or null (bare packages, missing files). */
export function resolveSpecifier(from, spec) {
  if (!spec.startsWith(".")) return null;
  const base = resolve(dirname(from), spec);
  const candidates = base.endsWith(".js") ? [base.slice(0, -3) + ".ts"] : [base, base + ".ts", join(base, "index.ts")];
  return candidates.find((c) => c.endsWith(".ts") && existsSync(c)) ?? null;
}

// ---- strongly connected components ----

/**
 * Tarjan's strongly connected components of a graph given as `Map<node, node[]>`, iteratively
 * (an explicit stack instead of recursion, so a long import chain cannot overflow the call stack).
 */
export function stronglyConnected(graph) {
  let counter = 0;
  const index = new Map();
  const low = new Map();
  const onStack = new Set();
  const stack = [];
  const components = [];
  for (const root of graph.keys()) {
    if (index.has(root)) continue;
    const work = [{ node: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const edges = graph.get(frame.node) ?? [];
      if (frame.next < edges.length) {
        const w = edges[frame.next++];
        if (!index.has(w)) {
          index.set(w, counter);
          low.set(w, counter++);
          stack.push(w);
          onStack.add(w);
          work.push({ node: w, next: 0 });
        } else if (onStack.has(w)) {
          low.set(frame.node, Math.min(low.get(frame.node), index.get(w)));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent), low.get(frame.node)));
      }
      if (low.get(frame.node) === index.get(frame.node)) {
        const component = [];
        let w;
        do {
          w = stack.pop();
          onStack.delete(w);
          component.push(w);
        } while (w !== frame.node);
        components.push(component);
      }
    }
  }
  return components;
}

/** The cycles of `graph`: components of several nodes, and single nodes with an edge to themselves. */
export function cyclesOf(graph) {
  return stronglyConnected(graph)
    .filter((c) => c.length > 1 || (graph.get(c[0]) ?? []).includes(c[0]))
    .map((c) => [...c].sort())
    .sort((a, b) => b.length - a.length || (a[0] < b[0] ? -1 : 1));
}

// ---- main ----

/** The runtime import graph of the `.ts` files under `srcDir`, keyed by paths relative to `rootDir`. */
export function importGraph(srcDir, rootDir) {
  const graph = new Map();
  const notes = [];
  const name = (p) => relative(rootDir, p).split("\\").join("/");
  for (const file of tsFiles(srcDir).sort()) {
    const { runtime, allType } = runtimeImports(readFileSync(file, "utf8"));
    const targets = runtime.map((s) => resolveSpecifier(file, s)).filter((t) => t !== null);
    graph.set(name(file), [...new Set(targets.map(name))]);
    for (const s of allType) notes.push(`${name(file)}: { type … } from "${s}" still loads it at run time (verbatimModuleSyntax); write import type / export type`);
  }
  return { graph, notes };
}

function main() {
  const report = process.argv.includes("--report");
  const rootDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
  const { graph, notes } = importGraph(join(rootDir, "src"), rootDir);
  const cycles = cyclesOf(graph);
  console.log(`import cycles: ${cycles.length}`);
  cycles.forEach((files, k) => {
    console.log(`cycle ${k + 1}: ${files.length} files`);
    for (const f of files) console.log(`  ${f}`);
  });
  for (const n of notes) console.log(`note: ${n}`);
  if (cycles.length > 0 && !report) process.exit(1);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
