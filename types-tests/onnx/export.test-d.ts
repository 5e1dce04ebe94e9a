import { expectError, expectType } from "tsd";
import { jit, losses, nn, optim, random, valueAndGrad, zeros, type Tensor } from "typegrad";
import { exportModel, OnnxExportError, type ExportOptions } from "typegrad/onnx";

// ---- exportModel takes example arguments of exactly the function's parameter types ----

const model = nn.serial(nn.dense(784, 10));
const params = model.init(random.key(0));
const predict = (p: typeof params, x: Tensor<[number, 784]>) => model.apply(p, x);

expectType<Uint8Array>(exportModel(predict, [params, zeros([1, 784])]));
expectType<Uint8Array>(exportModel(predict, [params, zeros([32, 784])], { inputNames: ["params", "x"], dynamicAxes: { x: { 0: "batch" } } }));
expectError(exportModel(predict, [params, zeros([1, 785])])); // an example of the wrong shape
expectError(exportModel(predict, [params])); // a missing argument
expectError(exportModel(predict, [zeros([1, 784]), params])); // arguments swapped
expectError(exportModel(predict, [params, zeros([1, 784])], { opset: "18" }));
expectError(exportModel(predict, [params, zeros([1, 784])], { dynamicAxes: { x: { 0: 1 } } }));

// ---- options and the error ----

const options: ExportOptions = { opset: 18, outputNames: ["logits"] };
expectType<Uint8Array>(exportModel(predict, [params, zeros([1, 784])], options));
expectType<string | undefined>(new OnnxExportError("no rule", "erf").primitive);

// ---- the README's "Export to ONNX" example compiles as written ----
{
  const model = nn.serial(nn.dense(784, 128), nn.relu, nn.dense(128, 10));
  const params = model.init(random.key(0));
  type P = typeof params;
  const predict = (p: P, x: Tensor<[number, 784]>) => model.apply(p, x);
  expectType<Uint8Array>(
    exportModel(predict, [params, zeros([1, 784])], { inputNames: ["params", "x"], outputNames: ["logits"], dynamicAxes: { x: { 0: "batch" } } }),
  );
  const opt = optim.adam(1e-3);
  const loss = (p: P, x: Tensor<[number, 784]>, y: Tensor<[number], "int32">) => losses.softmaxCrossEntropy(model.apply(p, x), y);
  const step = jit((p: P, s: optim.StateOf<typeof opt, P>, x: Tensor<[number, 784]>, y: Tensor<[number], "int32">) => {
    const [value, g] = valueAndGrad(loss)(p, x, y);
    const [updates, s2] = opt.update(g, s, p);
    return [optim.applyUpdates(p, updates), s2, value] as const;
  });
  expectType<Uint8Array>(
    exportModel(step, [params, opt.init(params), zeros([1, 784]), zeros([1], "int32")], {
      inputNames: ["params", "state", "x", "y"],
      outputNames: ["newParams", "newState", "loss"],
      dynamicAxes: { x: { 0: "batch" }, y: { 0: "batch" } },
    }),
  );
}
