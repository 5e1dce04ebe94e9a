// Lists the longest functions of <root>/src (non-blank lines, nested functions counted on their
// own too), with TypeScript's parser, and how many pass 60 and 100 lines (STYLE.md's measure).
// Usage: node scripts/longest-functions.mjs [root = .] [how many = 10]
import ts from "typescript";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
const root = process.argv[2] ?? ".";
const files = (d) => readdirSync(d).flatMap((n) => { const p = join(d, n); return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : []; });
const rows = [];
for (const f of files(join(root, "src"))) {
  const text = readFileSync(f, "utf8");
  const sf = ts.createSourceFile(f, text, ts.ScriptTarget.Latest, true);
  const visit = (n, owner) => {
    if (ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n) || ts.isArrowFunction(n) || ts.isFunctionExpression(n)) {
      const body = text.slice(n.getStart(sf), n.end);
      const lines = body.split("\n").filter((l) => l.trim() !== "").length;
      const name = n.name?.getText(sf) ?? owner ?? "(anonymous)";
      rows.push({ file: relative(root, f), name, lines });
    }
    const nextOwner = ts.isVariableDeclaration(n) || ts.isPropertyAssignment(n) ? n.name.getText(sf) : owner;
    ts.forEachChild(n, (c) => visit(c, nextOwner));
  };
  visit(sf);
}
rows.sort((a, b) => b.lines - a.lines);
for (const r of rows.slice(0, +(process.argv[3] ?? 10))) console.log(`${String(r.lines).padStart(4)}  ${r.file}  ${r.name}`);
console.log(`functions over 60 lines: ${rows.filter((r) => r.lines > 60).length}; over 100: ${rows.filter((r) => r.lines > 100).length}`);
