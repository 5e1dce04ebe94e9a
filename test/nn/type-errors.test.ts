/**
 * Compiles `fixtures/miswired.ts` with the TypeScript API and pins each compile error of a
 * mis-wired model: the argument it lands on and its message (what tsd cannot check).
 */
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, test } from "vitest";

const fixture = fileURLToPath(new URL("./fixtures/miswired.ts", import.meta.url));
const config = ts.readConfigFile(fileURLToPath(new URL("../../tsconfig.json", import.meta.url)), ts.sys.readFile).config;
const { options } = ts.parseJsonConfigFileContent(config, ts.sys, fileURLToPath(new URL("../..", import.meta.url)));

describe("compile errors of mis-wired models", () => {
  // One program for all cases: building it is the slow part.
  const program = ts.createProgram([fixture], { ...options, noEmit: true, rootDir: undefined });
  const source = program.getSourceFile(fixture)!;
  const diagnostics = ts.getPreEmitDiagnostics(program);
  const elsewhere = diagnostics.filter((d) => d.file !== source).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
  const errors = diagnostics.filter((d) => d.file === source).map((d) => {
    const { line } = source.getLineAndCharacterOfPosition(d.start!);
    const text = source.text.slice(d.start!, d.start! + d.length!);
    const decl = source.text.split("\n")[line].match(/^(?:export )?const (\w+)/)?.[1];
    return { decl, text, message: ts.flattenDiagnosticMessageText(d.messageText, "\n") };
  });

  test.each([
    ["a", "dense(256, 10)", "layer 2: dense(256, 10) expects input [256] but got [128]"],
    ["b", "dense(32, 10)", "layer 5: dense(32, 10) expects input [32] but got [64]"],
    ["c", "dense(256, 120)", "layer 8: dense(256, 120) expects input [256] but got [400]"],
    ["d", 'conv2d(3, 6, 5)', "layer 1: conv2d(3, 6, 5) expects input [height, width, 3] but got [28, 28, 1]"],
    ["e", "batchNorm(16)", "layer 1: batchNorm(16) expects input [..., 16] but got [32]"],
    ["f", "dense(128, 64)", "residual: x + f(x) needs f to keep the shape"],
    ["g", "images", "layer 7: dense(256, 120) expects input [256] but got [400]"],
    ["h", "floats", "embedding(100, 8) expects int32 indices but got float32"],
  ])("%s: the error is on `%s` and says so", (decl, argument, message) => {
    const mine = errors.filter((e) => e.decl === decl);
    expect(mine).toHaveLength(1);
    expect(mine[0].text).toBe(argument);
    expect(mine[0].message).toContain(message);
  });

  test("nothing else fails", () => {
    expect(errors.filter((e) => e.decl === undefined)).toEqual([]);
    expect(elsewhere).toEqual([]);
  });
});
