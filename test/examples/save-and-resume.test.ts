/**
 * @file Example 09 is the README's "Saving and loading" section: the README's code block is the
 * example from its first import on (with the package's import paths), and it runs as shown.
 */
import { afterAll, describe, expect, test } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "../..");
const example = join(root, "examples", "11-save-and-resume.ts");
const work = mkdtempSync(join(tmpdir(), "typegrad-example-09-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("example 09: saving and loading", () => {
  test("the README shows it verbatim", () => {
    const source = readFileSync(example, "utf8");
    const code = source.slice(source.search(/^import /m)).replace('"../src/index.js"', '"typegrad"').replace('"../src/node.js"', '"typegrad/node"');
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Saving and loading"));
    const block = /```ts\n([\s\S]*?)```/.exec(section);
    expect(block?.[1]).toBe(code);
  });

  test("it runs as shown: resumes after epoch 2, loads the weights, and names the mismatches", () => {
    const r = spawnSync(process.execPath, [join(root, "node_modules", "tsx", "dist", "cli.mjs"), example], { cwd: work, encoding: "utf8" });
    expect(r.stderr).toBe("");
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^resumed after epoch 2 \(step 32\); epoch 4 loss 0\.\d{4}$/);
    expect(lines[1]).toBe("loaded 2×16 and 16×2 weights");
    const promised = /\/\/ (io\.loadSafetensors: .*)\n$/.exec(readFileSync(example, "utf8"))?.[1];
    expect(lines[2]).toBe(promised);
    expect(readdirSync(work).sort()).toEqual(["mlp.safetensors", "run.safetensors"]);
  });
});
