/** The runtime shapes of vmap with in/out axes other than 0 are the ones its types give (types-tests/transforms/vmap.test-d.ts). */
import { describe, expect, test } from "vitest";
import { add, mul, sum, tensor, vmap, zeros, type Tensor } from "../../src/index.js";

const perExample = (x: Tensor<[3]>) => sum(x);
const keep = (x: Tensor<[2, 3]>) => mul(x, 2);
const two = (x: Tensor<[3]>, y: Tensor<[3]>) => add(x, y);
const pair = (x: Tensor<[3]>): [Tensor<[3]>, Tensor<[]>] => [x, sum(x)];

describe("vmap axes at run time agree with the types", () => {
  test("in axes, negative too", () => {
    expect(vmap(perExample, { inAxes: 1 })(zeros([3, 32])).shape).toEqual([32]);
    expect(vmap(perExample, { inAxes: -1 })(zeros([3, 32])).shape).toEqual([32]);
    expect(vmap(keep, { inAxes: 1 })(zeros([2, 5, 3])).shape).toEqual([5, 2, 3]);
    expect(vmap(keep, { inAxes: -1 })(zeros([2, 3, 5])).shape).toEqual([5, 2, 3]);
    expect(vmap(keep, { inAxes: -3 })(zeros([5, 2, 3])).shape).toEqual([5, 2, 3]);
  });
  test("out axes, negative too, one per output", () => {
    expect(vmap(keep, { outAxes: 1 })(zeros([5, 2, 3])).shape).toEqual([2, 5, 3]);
    expect(vmap(keep, { outAxes: 2 })(zeros([5, 2, 3])).shape).toEqual([2, 3, 5]);
    expect(vmap(keep, { outAxes: -1 })(zeros([5, 2, 3])).shape).toEqual([2, 3, 5]);
    expect(vmap(keep, { outAxes: -3 })(zeros([5, 2, 3])).shape).toEqual([5, 2, 3]);
    expect(vmap(two, { inAxes: [0, null], outAxes: 1 })(zeros([32, 3]), zeros([3])).shape).toEqual([3, 32]);
    const [a, b] = vmap(pair, { outAxes: [1, 0] })(zeros([32, 3]));
    expect([a.shape, b.shape]).toEqual([[3, 32], [32]]);
    const [c, d] = vmap(pair, { outAxes: -1 })(zeros([32, 3]));
    expect([c.shape, d.shape]).toEqual([[3, 32], [32]]);
  });
  test("values: mapping along axis 1 and stacking along the last axis transposes", () => {
    const x = tensor([[1, 2], [3, 4], [5, 6]]);
    const columns = vmap((v: Tensor<[3]>) => mul(v, 10), { inAxes: 1, outAxes: 0 })(x);
    expect(columns.shape).toEqual([2, 3]);
    expect(columns.toArray()).toEqual([[10, 30, 50], [20, 40, 60]]);
  });
  test("mismatched mapped sizes are the error the types report", () => {
    expect(() => vmap(two)(zeros([32, 3]), zeros([64, 3]) as never)).toThrow("vmap: mapped axes have different sizes: 32 vs 64 (argument 1)");
  });
});
