/**
 * `init(key, { dtype })` in a dtype other than the layer's own: for every layer with parameters,
 * the parameters, the output of `apply`, gradients and optimizer state follow the dtype the
 * parameters were actually made in (issue 15, item 3). Float parameters and a float input of
 * another dtype are a compile error (the run time raises a `DTypeError`).
 */
import { expectError, expectType } from "tsd";
import { grad, losses, nn, optim, random, sum, type Tensor } from "typegrad";

const key = random.key(0);
declare const v: <T>() => T;

// ---- embedding: the output dtype comes from the table, not from the int32 input ----

const emb = nn.embedding(100, 16);
const emb64 = emb.init(key, { dtype: "float64" });
expectType<nn.EmbeddingParams<100, 16, "float64">>(emb64);
declare const ids: Tensor<["batch", 20], "int32">;
expectType<Tensor<["batch", 20, 16], "float64">>(emb.apply(emb64, ids));
expectType<Tensor<["batch", 20, 16]>>(emb.apply(emb.init(key), ids));
// A layer made in float64 and initialised in float32 gives float32 rows.
const embOwn64 = nn.embedding(100, 16, { dtype: "float64" });
expectType<Tensor<["batch", 20, 16], "float64">>(embOwn64.apply(embOwn64.init(key), ids));
expectType<Tensor<["batch", 20, 16]>>(embOwn64.apply(embOwn64.init(key, { dtype: "float32" }), ids));
// Gradients and optimizer state of the table.
const embLoss = (p: typeof emb64, x: Tensor<["batch", 20], "int32">) => sum(emb.apply(p, x));
expectType<Tensor<[], "float64">>(embLoss(emb64, ids));
expectType<nn.EmbeddingParams<100, 16, "float64">>(grad(embLoss)(emb64, ids));
const adam = optim.adam(1e-3);
expectType<optim.StateOf<typeof adam, nn.EmbeddingParams<100, 16, "float64">>>(adam.init(emb64));

// ---- embedding in a stack: the dtype flows on to the next layers ----

const lm = nn.serial(nn.embedding(27, 8), nn.flatten, nn.dense(8 * 4, 27));
const lm64 = lm.init(key, { dtype: "float64" });
declare const ctx: Tensor<["batch", 4], "int32">;
expectType<Tensor<["batch", 27], "float64">>(lm.apply(lm64, ctx));
expectType<Tensor<["batch", 27]>>(lm.apply(lm.init(key), ctx));
const lmLoss = (p: typeof lm64, x: Tensor<["batch", 4], "int32">, y: Tensor<["batch"], "int32">) =>
  losses.softmaxCrossEntropy(lm.apply(p, x), y);
expectType<Tensor<[], "float64">>(lmLoss(lm64, ctx, v<Tensor<["batch"], "int32">>()));
expectType<typeof lm64>(grad(lmLoss)(lm64, ctx, v<Tensor<["batch"], "int32">>()));
const sgd = optim.sgd(0.1);
expectType<optim.StateOf<typeof sgd, typeof lm64>>(sgd.init(lm64));
expectType<[typeof lm64, optim.StateOf<typeof sgd, typeof lm64>]>(sgd.update(lm64, sgd.init(lm64), lm64));
// parallel and residual pass each branch its own parameters.
const two = nn.parallel(nn.embedding(27, 8), nn.embedding(27, 4));
expectType<[Tensor<["batch", 4, 8], "float64">, Tensor<["batch", 4, 4], "float64">]>(two.apply(two.init(key, { dtype: "float64" }), ctx));
const res = nn.serial(nn.embedding(27, 8), nn.residual(nn.layerNorm(8)));
expectType<Tensor<["batch", 4, 8], "float64">>(res.apply(res.init(key, { dtype: "float64" }), ctx));

// ---- every other layer with parameters: initialised in float64, applied to float64 ----

declare const x4: Tensor<["batch", 4], "float64">;
const d = nn.dense(4, 8);
const d64 = d.init(key, { dtype: "float64" });
expectType<nn.DenseParams<4, 8, "float64">>(d64);
expectType<Tensor<["batch", 8], "float64">>(d.apply(d64, x4));
const dOwn = nn.dense(4, 8, { dtype: "float64" });
expectType<Tensor<["batch", 8]>>(dOwn.apply(dOwn.init(key, { dtype: "float32" }), v<Tensor<["batch", 4]>>()));

declare const img: Tensor<["batch", 28, 28, 1], "float64">;
const conv = nn.conv2d(1, 6, 5);
const conv64 = conv.init(key, { dtype: "float64" });
expectType<nn.Conv2dParams<1, 6, 5, "float64">>(conv64);
expectType<Tensor<["batch", 24, 24, 6], "float64">>(conv.apply(conv64, img));

declare const feats: Tensor<["batch", 10, 8], "float64">;
const ln = nn.layerNorm(8);
expectType<nn.NormParams<8, "float64">>(ln.init(key, { dtype: "float64" }));
expectType<Tensor<["batch", 10, 8], "float64">>(ln.apply(ln.init(key, { dtype: "float64" }), feats));
const bn = nn.batchNorm(8);
const bnState = bn.initState({ dtype: "float64" });
expectType<[Tensor<["batch", 10, 8], "float64">, nn.BatchNormState<8, "float64">]>(
  bn.applyStateful(bn.init(key, { dtype: "float64" }), bnState, feats, { training: true }),
);

const rnn = nn.simpleRnn(8, 16);
const rnn64 = rnn.init(key, { dtype: "float64" });
expectType<{ wi: Tensor<[8, 16], "float64">; wh: Tensor<[16, 16], "float64">; b: Tensor<[16], "float64"> }>(rnn64);
expectType<Tensor<["batch", 10, 16], "float64">>(rnn.apply(rnn64, feats));
const lstm = nn.lstm(8, 4, { returnSequences: false });
expectType<Tensor<["batch", 4], "float64">>(lstm.apply(lstm.init(key, { dtype: "float64" }), feats));
const gru = nn.gru(8, 4);
expectType<Tensor<["batch", 10, 4], "float64">>(gru.apply(gru.init(key, { dtype: "float64" }), feats));

const attn = nn.multiHeadAttention(8, 2);
const attn64 = attn.init(key, { dtype: "float64" });
expectType<Tensor<[8, 8], "float64">>(attn64.wq);
expectType<Tensor<["batch", 10, 8], "float64">>(attn.apply(attn64, feats));
const pos = nn.positionalEmbedding(16, 8);
expectType<Tensor<[16, 8], "float64">>(pos.init(key, { dtype: "float64" }).table);
expectType<Tensor<["batch", 10, 8], "float64">>(pos.apply(pos.init(key, { dtype: "float64" }), feats));
const block = nn.transformerBlock(8, 2, 16);
const block64 = block.init(key, { dtype: "float64" });
expectType<Tensor<[8, 16], "float64">>(block64.mlp.up.w);
expectType<Tensor<["batch", 10, 8], "float64">>(block.apply(block64, feats));

// Layers made in float64 and initialised in float32 apply to float32.
const lstmOwn = nn.lstm(8, 4, { dtype: "float64" });
expectType<Tensor<["batch", 10, 4], "float64">>(lstmOwn.apply(lstmOwn.init(key), feats));
expectType<Tensor<["batch", 10, 4]>>(lstmOwn.apply(lstmOwn.init(key, { dtype: "float32" }), v<Tensor<["batch", 10, 8]>>()));
expectError(lstmOwn.apply(lstmOwn.init(key), v<Tensor<["batch", 10, 8]>>()));
const blockOwn = nn.transformerBlock(8, 2, 16, { dtype: "float64" });
expectType<Tensor<["batch", 10, 8]>>(blockOwn.apply(blockOwn.init(key, { dtype: "float32" }), v<Tensor<["batch", 10, 8]>>()));

// A whole transformer-like model: gradients and Adam state in float64.
const tiny = nn.serial(nn.embedding(27, 8), nn.positionalEmbedding(4, 8), nn.transformerBlock(8, 2, 16), nn.flatten, nn.dense(32, 27));
const tiny64 = tiny.init(key, { dtype: "float64" });
expectType<Tensor<["batch", 27], "float64">>(tiny.apply(tiny64, ctx));
const tinyLoss = (p: typeof tiny64, x: Tensor<["batch", 4], "int32">, y: Tensor<["batch"], "int32">) =>
  losses.softmaxCrossEntropy(tiny.apply(p, x), y);
const g = grad(tinyLoss)(tiny64, ctx, v<Tensor<["batch"], "int32">>());
expectType<typeof tiny64>(g);
expectType<Tensor<[27, 8], "float64">>(g[0].table);
expectType<[typeof tiny64, optim.StateOf<typeof adam, typeof tiny64>]>(adam.update(g, adam.init(tiny64), tiny64));

// ---- parameters and input in different float dtypes: refused, as at run time ----

expectError(d.apply(d64, v<Tensor<["batch", 4]>>()));
expectError(d.apply(d.init(key), x4));
expectError(conv.apply(conv64, v<Tensor<["batch", 28, 28, 1]>>()));
expectError(rnn.apply(rnn64, v<Tensor<["batch", 10, 8]>>()));
expectError(attn.apply(attn64, v<Tensor<["batch", 10, 8]>>()));
expectError(lm.apply(lm64, v<Tensor<["batch", 4]>>()));
// The mismatch is one line naming both dtypes.
expectType<"apply: the parameters are float64 but the input is float32 (they must share a dtype)">(
  null! as Parameters<typeof d.apply<Tensor<["batch", 4]>, typeof d64>>[1],
);
