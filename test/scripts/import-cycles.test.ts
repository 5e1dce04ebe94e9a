/**
 * @file The import-cycle checker (scripts/import-cycles.mjs): which import forms make runtime
 * edges, and which strongly connected components count as cycles.
 */
import { describe, expect, test } from "vitest";
import { codeOnly, cyclesOf, runtimeImports } from "../../scripts/import-cycles.mjs";

describe("runtimeImports", () => {
  test("value imports and re-exports are edges; type-only ones are not", () => {
    const source = [
      'import * as core from "./a.js";',
      'import { x, type Y } from "./b.js";',
      'import "./c.js";',
      'import type { T } from "./no1.js";',
      'import type * as N from "./no2.js";',
      'import { type A, type B } from "./typed.js";',
      'export * from "./d.js";',
      'export * as e from "./e.js";',
      'export { f } from "./f.js";',
      'export type { G } from "./no3.js";',
      'export type * from "./no4.js";',
      'export { type H } from "./typed2.js";',
      "import {",
      "  multi,",
      "  type Line,",
      '} from "./g.js";',
      "import def, { type Only } from './h.js';",
    ].join("\n");
    const { runtime, allType } = runtimeImports(source);
    expect(runtime.sort()).toEqual(["./a.js", "./b.js", "./c.js", "./d.js", "./e.js", "./f.js", "./g.js", "./h.js"]);
    expect(allType.sort()).toEqual(["./typed.js", "./typed2.js"]);
  });

  test("imports inside comments, templates and dynamic import() are not read", () => {
    const source = [
      '// import { a } from "./comment.js";',
      "/*",
      ' import { b } from "./block.js";',
      "*/",
      "const src = `",
      'import { c } from "./template.js";',
      "${`nested ${1}`}",
      "`;",
      'const lazy = () => import("./dynamic.js");',
      'const re = /import "x"/;',
      'import { real } from "./real.js";',
    ].join("\n");
    expect(runtimeImports(source).runtime).toEqual(["./real.js"]);
  });

  test("codeOnly keeps line breaks and strings, blanks comments", () => {
    const out = codeOnly('a /* x\ny */ "//s" // z\nb');
    expect(out.split("\n")).toHaveLength(3);
    expect(out).toContain('"//s"');
    expect(out).not.toContain("z");
    expect(out).not.toContain("x");
  });
});

describe("cyclesOf", () => {
  test("components of several files and self-imports, largest first, each sorted", () => {
    const graph = new Map<string, string[]>([
      ["c", ["a"]],
      ["a", ["b"]],
      ["b", ["c", "d"]],
      ["d", ["e"]],
      ["e", []],
      ["s", ["s"]],
      ["x", ["y"]],
      ["y", ["x"]],
    ]);
    expect(cyclesOf(graph)).toEqual([["a", "b", "c"], ["x", "y"], ["s"]]);
  });

  test("an acyclic graph has none", () => {
    expect(cyclesOf(new Map([["a", ["b"]], ["b", ["c"]], ["c", []]]))).toEqual([]);
  });

  test("a long chain closing on itself is one cycle (no recursion limit)", () => {
    const n = 20000;
    const graph = new Map(Array.from({ length: n }, (_, i) => [`m${i}`, [`m${(i + 1) % n}`]] as [string, string[]]));
    const cycles = cyclesOf(graph);
    expect(cycles).toHaveLength(1);
    expect(cycles[0]).toHaveLength(n);
  });
});
