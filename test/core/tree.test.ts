import { describe, expect, test } from "vitest";
import * as ops from "../../src/core/ops.js";
import { tree, type Tensor } from "../../src/index.js";

const t = (v: number) => ops.full([], v, "float32") as Tensor<[]>;

describe("pytrees", () => {
  test("flatten orders record keys and keeps array order; unflatten inverts it", () => {
    const value = { b: [t(1), t(2)], a: { y: t(3), x: t(4) }, n: null };
    const [leaves, def] = tree.flatten(value);
    expect(leaves.map((l) => (l as Tensor<[]>).item())).toEqual([4, 3, 1, 2]);
    expect(def.numLeaves).toBe(4);
    expect(String(def)).toBe('{"a":{"x":*,"y":*},"b":[*,*],"n":null}');
    const back = tree.unflatten<typeof value>(def, leaves);
    expect((back.a.y as Tensor<[]>).item()).toBe(3);
    expect(back.n).toBeNull();
  });

  test("map applies a function to every leaf, in step over trees of one structure", () => {
    const a = { w: t(1), b: [t(2)] };
    const b = { w: t(10), b: [t(20)] };
    const summed = tree.map(a, (x, y) => ops.add(x as never, y as never), b);
    expect((summed.w as unknown as Tensor<[]>).item()).toBe(11);
    expect((summed.b[0] as unknown as Tensor<[]>).item()).toBe(22);
  });

  test("structures that differ are reported", () => {
    expect(() => tree.map({ w: t(1) }, (x) => x, { v: t(1) })).toThrow(/structures differ/);
    const [, def] = tree.flatten([t(1), t(2)]);
    expect(() => tree.unflatten(def, [t(1)])).toThrow(/needs 2 leaves, got 1/);
  });

  test("unsupported nodes are rejected with what they were", () => {
    expect(() => tree.flatten({ f: new Map() })).toThrow(/unsupported node of class Map/);
  });
});
