// Type-checks every `@example` in the doc comments of src/, so that the API docs cannot drift from
// the API. Each example becomes one module in test/doc-examples/generated/ (git-ignored, rewritten
// on every run), and all of them are checked in one TypeScript program; errors are reported at the
// line of the doc comment they come from. The conventions an example follows are in
// docs/README.md; in short:
//
// - An example is a module body: every export of its entry point is in scope by name (`typegrad`,
//   and `typegrad/node` or `typegrad/onnx` for examples written in those entries), imported for
//   it. It may add its own `import` lines (e.g. fp-ts).
// - Free variables are declared in the example itself with real TypeScript, shown in the docs:
//   `declare const x: Tensor<[32, 784]>;`.
// - A `const` whose line ends in a comment that starts with a tensor type,
//   `const y = f(x); // Tensor<[32, 10]>`, must have exactly that type.
// - `// @ts-expect-error` shows a line that must not compile.
//
// The names in scope are read from the entry points with the compiler, and an example imports
// only those it mentions and does not declare itself, so a local `const data = …` never clashes
// with the `data` namespace.
//
// Usage: node scripts/doc-examples.mjs   (exit 1 when an example fails to compile)
import ts from "typescript";
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const OUT_DIR = join(ROOT, "test/doc-examples/generated");
const TSCONFIG = join(ROOT, "test/doc-examples/tsconfig.json");

/** Which entry points an example in a given source file may use, the most specific first. */
export const ENTRIES = [
  { match: (file) => file === "src/node.ts", specifiers: ["typegrad/node", "typegrad"] },
  { match: (file) => file.startsWith("src/onnx/"), specifiers: ["typegrad/onnx", "typegrad"] },
  { match: () => true, specifiers: ["typegrad"] },
];

// ---- extraction ----

/** Every `.ts` file under `dir`, recursively, as absolute paths. */
function tsFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return path.endsWith(".ts") && !path.endsWith(".d.ts") ? [path] : [];
  });
}

/** The name of what a doc comment documents: the first declaration after it, for messages. */
function documentedName(after) {
  const m = /^\s*(?:export\s+)?(?:declare\s+)?(?:default\s+)?(?:abstract\s+)?(?:async\s+)?(?:function\*?|const|let|var|class|interface|type|namespace|(?:(?:public|static|readonly|override|get|set)\s+)*)\s*([A-Za-z_$][\w$]*)/.exec(
    after,
  );
  return m ? m[1] : "?";
}

/**
 * The `@example` blocks of one file's doc comments, each as `{ name, title, lines: [{ text, line }] }`
 * (1-based source lines). Code fences, when present, delimit the code (TypeScript fences only);
 * otherwise the whole block is code, as TypeDoc renders it. A line starting with another `@tag`
 * outside a fence ends the block, as in TypeDoc.
 */
export function extractExamples(text) {
  const examples = [];
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") lineStarts.push(i + 1);
  const lineOf = (offset) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  for (const match of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    if (!match[0].includes("@example")) continue;
    const first = lineOf(match.index);
    const name = documentedName(text.slice(match.index + match[0].length, match.index + match[0].length + 400));
    const body = match[0]
      .slice(3, -2)
      .split("\n")
      .map((raw, i) => ({ text: raw.replace(/^\s*\* ?/, "").replace(/^\s*$/, ""), line: first + i }));
    let current = null;
    let inFence = false;
    for (const l of body) {
      const fence = /^\s*```/.test(l.text);
      if (!inFence && /^\s*@\w+/.test(l.text)) {
        current = null;
        const m = /^\s*@example\b\s*(.*)$/.exec(l.text);
        if (m) {
          current = { name, title: m[1].trim(), line: l.line, raw: [] };
          examples.push(current);
        }
        continue;
      }
      if (fence) inFence = !inFence;
      if (current) current.raw.push({ ...l, fence });
    }
  }
  return examples.map(({ raw, ...e }) => ({ ...e, lines: codeLines(raw) }));
}

/** The code of an example: its TypeScript fences if it has fences, else all of it. */
function codeLines(raw) {
  if (!raw.some((l) => l.fence)) return trimBlank(raw.map(({ text, line }) => ({ text, line })));
  const out = [];
  let take = null;
  for (const l of raw) {
    if (l.fence) {
      if (take === null) {
        const lang = l.text.trim().slice(3).trim().toLowerCase();
        take = ["", "ts", "typescript", "tsx"].includes(lang);
      } else take = null;
      continue;
    }
    if (take) out.push({ text: l.text, line: l.line });
  }
  return out;
}

function trimBlank(lines) {
  let a = 0;
  let b = lines.length;
  while (a < b && lines[a].text.trim() === "") a++;
  while (b > a && lines[b - 1].text.trim() === "") b--;
  return lines.slice(a, b);
}

// ---- generation ----

/** Names an example declares at its top level and identifiers it mentions anywhere. */
export function namesIn(code) {
  const sf = ts.createSourceFile("example.ts", code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const declared = new Set();
  const bind = (n) => {
    if (ts.isIdentifier(n)) declared.add(n.text);
    else if (ts.isObjectBindingPattern(n) || ts.isArrayBindingPattern(n))
      for (const e of n.elements) if (!ts.isOmittedExpression(e)) bind(e.name);
  };
  for (const s of sf.statements) {
    if (ts.isVariableStatement(s)) for (const d of s.declarationList.declarations) bind(d.name);
    else if (ts.isImportDeclaration(s) && s.importClause) {
      const c = s.importClause;
      if (c.name) declared.add(c.name.text);
      const b = c.namedBindings;
      if (b && ts.isNamespaceImport(b)) declared.add(b.name.text);
      if (b && ts.isNamedImports(b)) for (const el of b.elements) declared.add(el.name.text);
    } else if (s.name && ts.isIdentifier(s.name)) declared.add(s.name.text);
  }
  const used = new Set();
  const visit = (n) => {
    if (ts.isIdentifier(n)) {
      const p = n.parent;
      const isMemberName =
        (ts.isPropertyAccessExpression(p) && p.name === n) ||
        (ts.isQualifiedName(p) && p.right === n) ||
        ((ts.isPropertyAssignment(p) || ts.isPropertySignature(p) || ts.isMethodDeclaration(p)) && p.name === n);
      if (!isMemberName) used.add(n.text);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return { declared, used };
}

/**
 * Trailing type claims: `const y = …; // Tensor<[2, 3]>` (the comment starts with a `Tensor<…>`
 * that is not followed by an arrow, which would describe a layer's mapping instead).
 */
export function typeClaim(lineText) {
  const m = /^(?:const|let)\s+([A-Za-z_$][\w$]*)\b.*;\s*\/\/\s*(Tensor<)/.exec(lineText);
  if (!m) return null;
  const start = m.index + m[0].length - "Tensor<".length;
  let depth = 0;
  for (let i = start + "Tensor".length; i < lineText.length; i++) {
    if (lineText[i] === "<") depth++;
    else if (lineText[i] === ">" && --depth === 0) {
      const rest = lineText.slice(i + 1).trimStart();
      if (rest.startsWith("→") || rest.startsWith("=>") || rest.startsWith("->")) return null;
      return { name: m[1], type: lineText.slice(start, i + 1) };
    }
  }
  return null;
}

/**
 * The module for one example: a header, the imports of the names it uses, its code, and one
 * check per type claim. `map[i]` is the source line of generated line i + 1 (0 where none), and
 * `claims[i]` the claim checked on generated line i + 1, if any.
 */
export function generate(example, file, exportsBySpecifier) {
  const claimed = example.lines.map((l) => typeClaim(l.text));
  // The claimed types are scanned with the code so that the names they use are imported too.
  const code = [...example.lines.map((l) => l.text), ...claimed.filter((c) => c).map((c, i) => `type __C${i} = ${c.type};`)].join("\n");
  const { declared, used } = namesIn(code);
  const specifiers = ENTRIES.find((e) => e.match(file)).specifiers;
  const taken = new Set(declared);
  const imports = [];
  for (const spec of specifiers) {
    const names = [...used].filter((n) => !taken.has(n) && exportsBySpecifier.get(spec)?.has(n)).sort();
    names.forEach((n) => taken.add(n));
    if (names.length > 0) imports.push(`import { ${names.join(", ")} } from "${spec}";`);
  }
  const out = [`// Generated by scripts/doc-examples.mjs from ${file}:${example.line} (${example.name}). Do not edit.`, ...imports, "export {};"];
  const map = out.map(() => 0);
  const claims = out.map(() => null);
  for (const l of example.lines) {
    out.push(l.text);
    map.push(l.line);
    claims.push(null);
  }
  for (const [i, l] of example.lines.entries()) {
    const claim = claimed[i];
    if (!claim) continue;
    out.push(`const __claim${out.length}: __Exact<typeof ${claim.name}, ${claim.type}> = true;`);
    map.push(l.line);
    claims.push(claim);
  }
  if (claims.some((c) => c !== null)) {
    out.push("type __Exact<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;");
    map.push(0);
    claims.push(null);
  }
  return { text: `${out.join("\n")}\n`, map, claims };
}

// ---- checking ----

function parsedConfig() {
  const host = {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(`${relative(ROOT, TSCONFIG)}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
    },
  };
  return ts.getParsedCommandLineOfConfigFile(TSCONFIG, undefined, host);
}

/** The exported names (values, types and namespaces) of each entry specifier the config maps. */
function entryExports(options) {
  const specs = [...new Set(ENTRIES.flatMap((e) => e.specifiers))];
  const files = specs.map((s) => options.paths?.[s]?.[0]).filter((f) => f !== undefined);
  const program = ts.createProgram({ rootNames: files.map((f) => resolve(options.baseUrl ?? dirname(TSCONFIG), f)), options });
  const checker = program.getTypeChecker();
  const result = new Map();
  for (const spec of specs) {
    const target = options.paths?.[spec]?.[0];
    if (target === undefined) continue;
    const sf = program.getSourceFile(resolve(options.baseUrl ?? dirname(TSCONFIG), target));
    if (!sf) continue; // an entry that does not exist on this branch
    const symbol = checker.getSymbolAtLocation(sf);
    result.set(spec, new Set(symbol ? checker.getExportsOfModule(symbol).map((s) => s.name) : []));
  }
  return { result, program };
}

/**
 * Extracts every example of the `.ts` files under `srcDir`, writes one module per example to
 * `outDir` (emptied first) and type-checks them; returns the error messages and the counts.
 */
export function checkDocExamples({ srcDir = join(ROOT, "src"), outDir = OUT_DIR } = {}) {
  const config = parsedConfig();
  const { result: exportsBySpecifier, program: entryProgram } = entryExports(config.options);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const generated = [];
  for (const path of tsFiles(srcDir).sort()) {
    const file = relative(ROOT, path).split("\\").join("/");
    const examples = extractExamples(readFileSync(path, "utf8"));
    for (const example of examples) {
      const base = `${file.replace(/^src\//, "").replace(/\.ts$/, "").replace(/[/.]/g, "-")}-L${example.line}-${example.name}.ts`;
      const out = join(outDir, base);
      const g = generate(example, file, exportsBySpecifier);
      writeFileSync(out, g.text);
      generated.push({ out, file, example, ...g });
    }
  }
  const program = ts.createProgram({
    rootNames: generated.map((g) => g.out),
    options: config.options,
    oldProgram: entryProgram,
  });
  const checker = program.getTypeChecker();
  const messages = [];
  for (const g of generated) {
    const sf = program.getSourceFile(g.out);
    const diags = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)];
    const claimsReported = new Set();
    for (const d of diags) {
      const genLine = d.start === undefined ? 0 : sf.getLineAndCharacterOfPosition(d.start).line;
      const srcLine = g.map[genLine] || g.example.line;
      const claim = g.claims[genLine];
      let text = ts.flattenDiagnosticMessageText(d.messageText, "\n    ");
      if (claim && claimsReported.has(genLine)) continue;
      if (claim) claimsReported.add(genLine);
      if (claim) text = `the comment says ${claim.name}: ${claim.type}, but it is ${actualType(checker, sf, claim.name)}`;
      messages.push(`${g.file}:${srcLine} - @example of ${g.example.name}: ${text}\n    (generated: ${relative(ROOT, g.out)}:${genLine + 1})`);
    }
  }
  return { messages, examples: generated.length, files: new Set(generated.map((g) => g.file)).size };
}

function actualType(checker, sf, name) {
  let found = "?";
  const visit = (n) => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === name) {
      found = checker.typeToString(checker.getTypeAtLocation(n.name), undefined, ts.TypeFormatFlags.NoTruncation);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { messages, examples, files } = checkDocExamples();
  if (messages.length > 0) {
    for (const m of messages) console.error(m);
    console.error(`doc examples: ${messages.length} error(s) in ${examples} @example blocks (conventions: docs/README.md)`);
    process.exit(1);
  }
  console.log(`doc examples: all ${examples} @example blocks in ${files} files type-check`);
}
