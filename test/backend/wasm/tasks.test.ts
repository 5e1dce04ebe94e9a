/**
 * @file The control block of the kernel memory (tasks.ts) is laid out as its header says: regions
 * in address order that never overlap, every counter alone on its cache line, and every word that
 * tasks.ts defines listed, so that no word escapes these checks.
 */
import { describe, expect, test } from "vitest";
import * as tasks from "../../../src/backend/wasm/tasks.js";
import { CONTROL_BLOCK, DATA, LINE, MAX_SLOTS, MAX_TASKS, TASK_BYTES, claimOf } from "../../../src/backend/wasm/tasks.js";

/** The cache lines `[first, last]` that a region touches. */
const linesOf = (r: tasks.ControlRegion): [number, number] => [Math.floor(r.at / LINE), Math.floor((r.at + r.bytes - 1) / LINE)];

describe("the control block", () => {
  test("lists every word and region that tasks.ts defines", () => {
    const defined = Object.keys(tasks).filter((name) => /^CTL_/.test(name) || name === "TASKS" || name === "CLAIMS");
    expect(CONTROL_BLOCK.map((r) => r.name).sort()).toEqual(defined.sort());
    for (const r of CONTROL_BLOCK) expect(r.at, r.name).toBe(tasks[r.name as keyof typeof tasks]);
  });

  test("regions are in address order, do not overlap and end before the data area", () => {
    expect(CONTROL_BLOCK[0].at).toBeGreaterThanOrEqual(0);
    for (let k = 1; k < CONTROL_BLOCK.length; k++) {
      const [before, r] = [CONTROL_BLOCK[k - 1], CONTROL_BLOCK[k]];
      expect(r.at, `${before.name} overlaps ${r.name}`).toBeGreaterThanOrEqual(before.at + before.bytes);
    }
    const last = CONTROL_BLOCK[CONTROL_BLOCK.length - 1];
    expect(last.at + last.bytes).toBeLessThanOrEqual(DATA);
    for (const r of CONTROL_BLOCK) expect(r.at % 4, `${r.name} is word-aligned`).toBe(0);
    expect(DATA % LINE).toBe(0);
  });

  test("no two counters share a cache line, and nothing else sits on a counter's line", () => {
    for (const r of CONTROL_BLOCK.filter((r) => r.ownsLine)) {
      const [first, last] = linesOf(r);
      for (const other of CONTROL_BLOCK) {
        if (other === r) continue;
        const [otherFirst, otherLast] = linesOf(other);
        expect(otherLast < first || otherFirst > last, `${other.name} shares a line with ${r.name}`).toBe(true);
      }
    }
  });

  test("the task table holds MAX_TASKS records of nine words or more; every slot has a claim word", () => {
    const table = CONTROL_BLOCK.find((r) => r.name === "TASKS")!;
    const claims = CONTROL_BLOCK.find((r) => r.name === "CLAIMS")!;
    expect(table.bytes).toBe(MAX_TASKS * TASK_BYTES);
    expect(TASK_BYTES).toBeGreaterThanOrEqual(9 * 4); // the matmul's task has nine arguments
    // claim words count tasks in 16 bits
    expect(MAX_TASKS).toBeLessThan(1 << 16);
    expect(Number.isInteger(MAX_SLOTS)).toBe(true);
    expect(claimOf(0)).toBe(claims.at);
    expect(claimOf(MAX_SLOTS - 1) + 4).toBe(claims.at + claims.bytes);
  });
});
