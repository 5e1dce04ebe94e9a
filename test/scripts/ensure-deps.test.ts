/** @file `prestart`/`pretest`: `npm ci` on a fresh clone (no node_modules), and nothing at all otherwise. */
import { afterAll, describe, expect, test } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const script = resolve(import.meta.dirname, "../../scripts/ensure-deps.mjs");
const work = mkdtempSync(join(tmpdir(), "typegrad-ensure-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A stand-in for npm's CLI that records its arguments and exits with `status`. */
function fakeNpm(status: number): { cli: string; log: string } {
  const dir = mkdtempSync(join(work, "npm-"));
  const log = join(dir, "calls.txt");
  const cli = join(dir, "npm-cli.js");
  writeFileSync(cli, `require("node:fs").appendFileSync(${JSON.stringify(log)}, process.argv.slice(2).join(" ") + "\\n"); process.exit(${status});`);
  return { cli, log };
}

function runIn(project: string, cli: string) {
  return spawnSync(process.execPath, [script], { cwd: project, env: { ...process.env, npm_execpath: cli }, encoding: "utf8" });
}

describe("ensure-deps", () => {
  test("node_modules present: no npm call, no output", () => {
    const project = mkdtempSync(join(work, "installed-"));
    mkdirSync(join(project, "node_modules"));
    const npm = fakeNpm(0);
    const r = runIn(project, npm.cli);
    expect([r.status, r.stdout, r.stderr]).toEqual([0, "", ""]);
    expect(existsSync(npm.log)).toBe(false);
  });

  test("a fresh clone: runs npm ci once, with the npm that runs the script", () => {
    const project = mkdtempSync(join(work, "fresh-"));
    const npm = fakeNpm(0);
    const r = runIn(project, npm.cli);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/node_modules is missing .*npm ci/);
    expect(readFileSync(npm.log, "utf8")).toBe("ci\n");
  });

  test("a failed npm ci fails the script, so npm start/test stop there", () => {
    const npm = fakeNpm(3);
    const r = runIn(mkdtempSync(join(work, "offline-")), npm.cli);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/npm ci failed \(3\); run it yourself and retry/);
  });
});
