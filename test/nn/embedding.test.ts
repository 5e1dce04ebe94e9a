/**
 * @file `nn.embedding` as a gather: the traced program reads rows (no one-hot matrix of the
 * vocabulary size), its table gradient is one scatter-add with repeated indices adding up, an
 * unchecked out-of-range index reads a zero vector, and a table of the wrong shape is refused.
 */
import { describe, expect, test } from "vitest";
import * as core from "../../src/core/ops.js";
import { grad, jit, makeJaxpr, nn, random, type Tensor } from "../../src/index.js";
import { ShapeError } from "../../src/shape/errors.js";
import { vals, type T } from "./helpers.js";

const layer = nn.embedding(1000, 4);
const table = core.fromValues(Array.from({ length: 4000 }, (_, i) => i), [1000, 4], "float32");
const idx = core.fromValues([7, 999, 7], [1, 3], "int32");
const any = (x: unknown) => x as never;

describe("embedding as a gather", () => {
  test("the program gathers rows; its gradient scatter-adds (no product with a one-hot matrix)", () => {
    const loss = (p: { table: Tensor<[1000, 4]> }, x: Tensor<[1, 3], "int32">) => core.reduceSum(layer.apply(any(p), any(x)) as unknown as T, [0, 1, 2]);
    const jaxpr = String(makeJaxpr(grad(loss as never))(any({ table }), any(idx)));
    expect(jaxpr).toContain("gather");
    expect(jaxpr).toContain("scatterAdd");
    expect(jaxpr).not.toContain("dotGeneral");
    expect(jaxpr).not.toMatch(/\[1,3,1000\]/);
  });

  test("repeated indices add up in the table gradient, inside jit too", () => {
    const g = jit(grad((p: { table: Tensor<[1000, 4]> }) => core.reduceSum(layer.apply(any(p), any(idx)) as unknown as T, [0, 1, 2]) as never))({ table } as never) as { table: T };
    const rows = vals(g.table);
    expect(rows.slice(28, 32)).toEqual([2, 2, 2, 2]);
    expect(rows.slice(3996, 4000)).toEqual([1, 1, 1, 1]);
    expect(rows.reduce((a, b) => a + b, 0)).toBe(12);
  });

  test("checked: false reads a zero vector out of range; a table of another shape is refused", () => {
    const y = nn.embedding(1000, 4, { checked: false }).apply(any({ table }), any(core.fromValues([1, 1000, -1], [1, 3], "int32")));
    expect(vals(y)).toEqual([4, 5, 6, 7, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(() => layer.apply(any({ table: core.fromValues([0], [1, 1], "float32") }), any(idx))).toThrow(
      new ShapeError("embedding(1000, 4) expects a table [1000, 4] but got [1, 1]"),
    );
    expect((layer.init(random.key(1)).table as unknown as T).shape).toEqual([1000, 4]);
  });
});
