/**
 * 09 — Saving and loading: a training run checkpointed after every epoch (parameters, Adam's
 * state, the key and the counts in one safetensors file), resumed from the file as another
 * process would, and its parameters saved and loaded back, checked against the model. The
 * README's "Saving and loading" section is this file from its first import on (a test keeps
 * the two the same, and runs it). Files go to the current directory.
 */
import * as E from "fp-ts/lib/Either.js";
import { cast, fit, less, losses, nn, optim, random, sum, type Tensor } from "../src/index.js";
import { loadSafetensorsFile, loadTrainStateFile, saveSafetensorsFile, saveTrainStateFile } from "../src/node.js";

const orThrow = <A>(r: E.Either<Error, A>): A => {
  if (E.isLeft(r)) throw r.left;
  return r.right;
};

const model = nn.serial(nn.dense(2, 16), nn.relu, nn.dense(16, 2));
type Params = ReturnType<typeof model.init>;
const loss = (p: Params, x: Tensor<[number, 2]>, y: Tensor<[number], "int32">) => losses.softmaxCrossEntropy(model.apply(p, x), y);
const x: Tensor<[number, 2]> = random.normal(random.key(1), [512, 2]);
const y = cast(less(sum(x.square(), 1), 1), "int32"); // inside the unit circle?
const optimizer = optim.adam(1e-2);
const run = { optimizer, loss, data: { x, y }, epochs: 4, batchSize: 32 };

// Train 2 of the 4 epochs, saving the run after each one.
fit({ ...run, epochs: 2, params: model.init(random.key(0)), key: random.key(2), onEpochEnd: (s) => orThrow(saveTrainStateFile("run.safetensors", s)) });

// Later, in another process: load the run, checked leaf by leaf against the model and optimizer,
// and train the other 2 epochs. The result is bit for bit that of 4 epochs never interrupted.
const template = model.init(random.key(0));
const checkpoint = orThrow(loadTrainStateFile("run.safetensors", { params: template, optState: optimizer.init(template) }));
const { params, history } = fit({ ...run, resume: checkpoint });
console.log(`resumed after epoch ${checkpoint.epoch} (step ${checkpoint.step}); epoch 4 loss ${history[1].loss.toFixed(4)}`);

// The parameters alone, named by their paths in the tree: "0.w", "0.b", "2.w", "2.b".
orThrow(saveSafetensorsFile("mlp.safetensors", params, { epochs: "4" }));
const loaded: Params = orThrow(loadSafetensorsFile("mlp.safetensors", template));
console.log(`loaded ${loaded[0].w.shape.join("×")} and ${loaded[2].w.shape.join("×")} weights`);

// A file that does not fit the model is a Left that names each path and both shapes.
const wider = nn.serial(nn.dense(2, 32), nn.relu, nn.dense(32, 2)).init(random.key(0));
const mismatch = loadSafetensorsFile("mlp.safetensors", wider);
console.log(E.isLeft(mismatch) ? mismatch.left.message : "loaded?!");
// io.loadSafetensors: 3 mismatches: 0.w: file has [2, 16], model expects [2, 32]; 0.b: file has [16], model expects [32]; 2.w: file has [16, 2], model expects [32, 2]
