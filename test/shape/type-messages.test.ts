/**
 * Compiles `fixtures/undecidable.ts` with the TypeScript API: where a shape check depends on the
 * value of a type-parameter dim, the error is one line naming the relation and both shapes (issue
 * 15, item 2), never a wall of unevaluated conditional types.
 */
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, test } from "vitest";

const fixture = fileURLToPath(new URL("./fixtures/undecidable.ts", import.meta.url));
const config = ts.readConfigFile(fileURLToPath(new URL("../../tsconfig.json", import.meta.url)), ts.sys.readFile).config;
const { options } = ts.parseJsonConfigFileContent(config, ts.sys, fileURLToPath(new URL("../..", import.meta.url)));

describe("compile errors that tsc cannot decide for a type-parameter dim", () => {
  const program = ts.createProgram([fixture], { ...options, noEmit: true, rootDir: undefined });
  const source = program.getSourceFile(fixture)!;
  const diagnostics = ts.getPreEmitDiagnostics(program);
  const byDecl = new Map<string, string>();
  for (const d of diagnostics.filter((d) => d.file === source)) {
    const { line } = source.getLineAndCharacterOfPosition(d.start!);
    const decl = source.text.split("\n")[line].match(/const (\w+) =/)?.[1] ?? "?";
    byDecl.set(decl, ts.flattenDiagnosticMessageText(d.messageText, "\n"));
  }

  test.each([
    ["a", 'Checked<Broadcast<[B, 1, 8], [B, T, 8], "add">, Tensor<[B, T, 8], "float32">>'],
    ["b", 'Checked<Broadcast<[B, T, 8], [3, 5, 8], "add">, Tensor<[3, 5, 8], "float32">>'],
    ["c", 'Checked<Reshape<[B, T, 8], readonly [DimSize<B>, -1], "reshape">, readonly [DimSize<B>, -1]>'],
    ["d", 'Checked<BroadcastTo<[B, 1, 8], readonly [3, 4, 8], "broadcastTo">, readonly [3, 4, 8]>'],
    ["e", 'Checked<Conv2dShape<[B, T, T, 3], [3, 3, 3, 5], 1, "valid">, Tensor<[3, 3, 3, 5], "float32">>'],
    ["f", 'LayerResult<DenseFn<8, 4>, Tensor<[T], "float32">, DenseParams<8, 4, "float32">> extends infer O extends string ? O : Tensor<...>'],
    ["g", 'Checked<PoolShape<[B, T, 3], [2], [2], "valid", "avgPool1d", "[N, L, C]", [number, number, number]>, 2>'],
    ["h", 'Checked<AdvancedIndex<[B, T, 8], [0], "at">, readonly [0]>'],
    ["i", 'Checked<DynamicSlice<[B, T, 8], readonly [1, 1, 8], "dynamicSlice">, readonly [1, 1, 8]>'],
    ["j", 'Checked<DynamicUpdateSlice<[B, T, 8], [B, 1, 8], "dynamicUpdateSlice">, Tensor<[B, 1, 8], DType>>'],
    ["k", 'Checked<MatMul<[B, H], [T, 3], "matmul">, Tensor<[T, 3], "float32">>'],
    ["l", 'LayerResult<RecurrentFn<"lstm(8, 4)", 8, 4, true>, Tensor<[T, H], "float32">, LstmParams<8, 4, "float32">> extends infer O extends string ? O : Tensor<...>'],
  ])("%s: one line, naming the relation and both shapes", (decl, parameter) => {
    const message = byDecl.get(decl);
    expect(message).toBeDefined();
    expect(message!.split("\n")).toHaveLength(1);
    expect(message).toContain(`parameter of type '${parameter}'`);
  });

  test("nothing else fails", () => {
    expect([...byDecl.keys()].sort()).toEqual(["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"]);
    expect(diagnostics.filter((d) => d.file !== source)).toEqual([]);
  });
});
