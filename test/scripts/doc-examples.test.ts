/**
 * @file The doc-example checker (scripts/doc-examples.mjs): how examples are read out of doc
 * comments, which names they import, which type claims they make, and that a wrong example is
 * reported at its line in the source (a canary: a checker that passes everything would fail here).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { checkDocExamples, extractExamples, generate, namesIn, typeClaim } from "../../scripts/doc-examples.mjs";

const comment = (...lines: string[]): string => ["/**", ...lines.map((l) => ` * ${l}`.trimEnd()), " */"].join("\n");

describe("extractExamples", () => {
  test("an @example runs to the next tag; the source lines are kept; the documented name is found", () => {
    const text = [
      comment("Adds.", "@example", "const y = add(1, 2);", "const z = y;", "@category Elementwise"),
      "export function add(a: number, b: number) {}",
    ].join("\n");
    const [ex] = extractExamples(text);
    expect(ex.name).toBe("add");
    expect(ex.lines).toEqual([
      { text: "const y = add(1, 2);", line: 4 },
      { text: "const z = y;", line: 5 },
    ]);
  });

  test("with fences only TypeScript fences are code, indentation is kept, and a tag inside a fence does not end it", () => {
    const text = [
      comment("@example Title", "Some prose.", "```ts", "if (a) {", "  @decorated;", "}", "```", "```sh", "npm test", "```"),
      "export const f = 1;",
    ].join("\n");
    const [ex] = extractExamples(text);
    expect(ex.title).toBe("Title");
    expect(ex.lines.map((l: { text: string }) => l.text)).toEqual(["if (a) {", "  @decorated;", "}"]);
  });

  test("several examples in one comment, and comments without one, are told apart", () => {
    const text = [comment("No example."), "export const a = 1;", comment("@example", "one;", "@example", "two;"), "export class B {}"].join("\n");
    const examples = extractExamples(text);
    expect(examples.map((e: { name: string; lines: { text: string }[] }) => [e.name, e.lines[0].text])).toEqual([
      ["B", "one;"],
      ["B", "two;"],
    ]);
  });
});

describe("names and claims", () => {
  test("top-level declarations are declared; member names and object keys are not uses", () => {
    const { declared, used } = namesIn(
      ['import * as E from "fp-ts/lib/Either.js";', "declare const x: Tensor<[3]>;", "const { a, b: [c] } = f(x.data, { data: 1 });", "interface I {}"].join("\n"),
    );
    expect([...declared].sort()).toEqual(["E", "I", "a", "c", "x"]);
    expect(used.has("Tensor")).toBe(true);
    expect(used.has("f")).toBe(true);
    expect(used.has("data")).toBe(false);
  });

  test("a trailing Tensor type is a claim; a layer's mapping (an arrow after it) is not", () => {
    expect(typeClaim("const y = f(x); // Tensor<[2, 3], \"int32\">: [1, 2]")).toEqual({ name: "y", type: 'Tensor<[2, 3], "int32">' });
    expect(typeClaim("const l = layer(); // Tensor<[B, 8]> → Tensor<[B, 4]>")).toBeNull();
    expect(typeClaim("const y = f(x); // [0, 2]")).toBeNull();
    expect(typeClaim("  const y = f(x); // Tensor<[3]>")).toBeNull();
  });

  test("the module imports only the names it uses and does not declare, from the entry that has them", () => {
    const exportsBy = new Map([
      ["typegrad/node", new Set(["loadMnistPackage"])],
      ["typegrad", new Set(["data", "tensor", "Tensor", "loadMnistPackage"])],
    ]);
    const example = { name: "f", line: 10, lines: [{ text: "const data = tensor([1]); // Tensor<[1]>", line: 11 }, { text: "loadMnistPackage();", line: 12 }] };
    const { text, map } = generate(example, "src/node.ts", exportsBy);
    expect(text).toContain('import { loadMnistPackage } from "typegrad/node";');
    expect(text).toContain('import { Tensor, tensor } from "typegrad";');
    expect(text).not.toMatch(/import \{[^}]*\bdata\b/);
    expect(text).toContain("__Exact<typeof data, Tensor<[1]>> = true;");
    const lines = text.split("\n");
    expect(map[lines.indexOf("loadMnistPackage();")]).toBe(12);
  });
});

describe("checkDocExamples", () => {
  const dir = mkdtempSync(join(tmpdir(), "doc-examples-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("reports a wrong type claim, an undeclared name and a type error at their source lines, and passes a good example", () => {
    const src = join(dir, "src");
    const file = [
      comment("@example", "const y = add(zeros([2, 3]), 1); // Tensor<[2, 3]>"),
      "export const good = 1;",
      comment("@example", "const y = matmul(zeros([2, 3]), zeros([3, 4])); // Tensor<[2, 5]>"),
      "export const wrongClaim = 1;",
      comment("@example", "const y = relu(x);"),
      "export const undeclared = 1;",
      comment("@example", "declare const x: Tensor<[2, 3]>;", "const y = matmul(x, x);"),
      "export const badShapes = 1;",
    ].join("\n");
    mkdirSync(src, { recursive: true });
    writeFileSync(join(src, "probe.ts"), file);
    const { messages, examples } = checkDocExamples({ srcDir: src, outDir: join(dir, "generated") });
    expect(examples).toBe(4);
    const at = (line: number) => messages.filter((m: string) => m.includes(`probe.ts:${line} -`));
    expect(at(3)).toEqual([]);
    expect(at(8)[0]).toMatch(/@example of wrongClaim: the comment says y: Tensor<\[2, 5\]>, but it is Tensor<\[2, 4\], "float32">/);
    expect(at(13)[0]).toMatch(/@example of undeclared: Cannot find name 'x'/);
    expect(at(19).join("\n")).toMatch(/@example of badShapes: .*matmul: inner dimensions differ/);
    expect(messages).toHaveLength(3);
  }, 120_000);
});
