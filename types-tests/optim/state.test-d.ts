import { expectError, expectType } from "tsd";
import { optim, type Tensor } from "typegrad";

type Params = { dense: { w: Tensor<[784, 128]>; b: Tensor<[128]> }; out: { w: Tensor<[128, 10]>; b: Tensor<[10]> } };
declare const params: Params;
declare const grads: Params;

// Optimizer state is typed from the parameter tree.
const adam = optim.adam(1e-3);
const state = adam.init(params);
expectType<
  [
    { readonly count: Tensor<[], "int32">; readonly mu: Params; readonly nu: Params },
    { readonly count: Tensor<[], "int32"> },
  ]
>(state);
type AdamState = optim.StateOf<typeof adam, Params>;
expectType<AdamState>(state);

// update returns updates of the parameters' type and the next state of the same type.
const [updates, next] = adam.update(grads, state, params);
expectType<Params>(updates);
expectType<AdamState>(next);
expectType<Params>(optim.applyUpdates(params, updates));

// Momentum keeps one trace tree; a chain's state is the tuple of its links' states.
const momentum = optim.sgd(0.1, { momentum: 0.9 });
expectType<[{ readonly trace: Params }, { readonly count: Tensor<[], "int32"> }]>(momentum.init(params));
expectType<[{ readonly count: Tensor<[], "int32"> }]>(optim.sgd(0.1).init(params));
const chained = optim.chain(optim.clipByGlobalNorm(1), optim.scaleByAdam(), optim.scaleByLearningRate(1e-3));
expectType<[Record<string, never>, { readonly count: Tensor<[], "int32">; readonly mu: Params; readonly nu: Params }, { readonly count: Tensor<[], "int32"> }]>(
  chained.init(params),
);

// The state of one parameter tree is not accepted for another.
declare const otherState: optim.StateOf<typeof adam, { w: Tensor<[3]> }>;
expectError(adam.update(grads, otherState, params));

// Schedules are accepted wherever a learning rate is.
optim.adam(optim.cosineDecay(1e-3, 1000));
expectError(optim.adam("fast"));
