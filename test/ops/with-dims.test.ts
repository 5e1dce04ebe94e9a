import { describe, expect, test } from "vitest";
import { DTypeError } from "../../src/core/errors.js";
import { data, fit, jit, losses, metrics, nn, optim, random, reshape, ShapeError, tensor, withDims, zeros, type Tensor } from "../../src/index.js";

describe("withDims: names given at the data boundary, checked when it runs", () => {
  test("returns the same tensor when the shape fits the dims", () => {
    const x = zeros([5, 784]);
    expect(withDims(x, ["batch", 784])).toBe(x);
    expect(withDims(zeros([3, 3]), ["n", "n"]).shape).toEqual([3, 3]);
    expect(withDims(zeros([0, 2]), ["batch", 2]).shape).toEqual([0, 2]);
  });
  test("a mismatch is a ShapeError with the compile-time text", () => {
    const x = zeros([5, 784]) as Tensor<[number, number]>;
    expect(() => withDims(x, ["batch", 785])).toThrow(new ShapeError("withDims: dim 1 is 784, but the dims [batch, 785] say 785"));
    expect(() => withDims(x as Tensor<number[]>, ["batch"])).toThrow(
      new ShapeError("withDims: shape [5, 784] has rank 2, but the dims [batch] have 1"),
    );
    expect(() => withDims(zeros([3, 4]) as Tensor<[number, number]>, ["n", "n"])).toThrow(new ShapeError("withDims: dim 1 is 4, but n is 3 (dim 0)"));
    expect(() => withDims(x, ["batch", -1 as number])).toThrow(
      new ShapeError("withDims: invalid dim -1 in the dims [batch, -1] (dims are non-negative integers or names)"),
    );
  });
  test("checks traced values too (shapes are known when tracing)", () => {
    const f = jit((x: Tensor<[number, 4]>) => withDims(x, ["batch", 4]));
    expect(f(zeros([2, 4])).shape).toEqual([2, 4]);
    const g = jit((x: Tensor<[number, number]>) => withDims(x, ["batch", 4]));
    expect(() => g(zeros([2, 5]))).toThrow("withDims: dim 1 is 5, but the dims [batch, 4] say 4");
  });
});

describe("named rows through data, fit and reshape", () => {
  const images = zeros([12, 28, 28]) as Tensor<[number, 28, 28]>;
  const labels = tensor([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1], "int32") as Tensor<[number], "int32">;

  test("nameRows names x and y once, after checking their rows", () => {
    const train = data.nameRows({ x: reshape(withDims(images, ["batch", 28, 28]), ["batch", 784]), y: labels }, "batch");
    expect(train.x.shape).toEqual([12, 784]);
    expect(() => data.nameRows({ x: zeros([3, 2]), y: zeros([4]) } as never, "batch")).toThrow(
      new ShapeError("nameRows: x and y have different numbers of rows: 3 vs 4 (x is [3, 2], y is [4])"),
    );
    const model = nn.serial(nn.dense(784, 10));
    type Params = ReturnType<typeof model.init>;
    const loss = (p: Params, x: Tensor<["batch", 784]>, y: Tensor<["batch"], "int32">) => losses.softmaxCrossEntropy(model.apply(p, x), y);
    const { history } = fit({ params: model.init(random.key(0)), optimizer: optim.sgd(0.1), loss, data: train, epochs: 1, batchSize: 4 });
    expect(history).toHaveLength(1);
    expect(() => fit({ params: model.init(random.key(0)), optimizer: optim.sgd(0.1), loss, data: { x: train.x, y: zeros([5], "int32") } as never, epochs: 1, batchSize: 4 })).toThrow(
      new ShapeError("fit: x and y have different numbers of rows: 12 vs 5 (x is [12, 784], y is [5])"),
    );
  });

  test("metrics and losses report mismatched rows and dtypes with the compile-time texts", () => {
    const logits = zeros([4, 3]);
    expect(() => metrics.confusionMatrix(logits, tensor([0, 1], "int32") as never, 3)).toThrow(
      new ShapeError("confusionMatrix: predictions [4, 3] do not match labels [2]"),
    );
    expect(() => losses.softmaxCrossEntropy(logits, zeros([4, 3], "float64") as never)).toThrow(
      new DTypeError("softmaxCrossEntropy: targets are float64 but logits are float32"),
    );
    expect(() => losses.softmaxCrossEntropy(logits, zeros([4], "bool") as never)).toThrow(
      new DTypeError("softmaxCrossEntropy: labels are int32 class indices or float targets, got bool"),
    );
  });
});
