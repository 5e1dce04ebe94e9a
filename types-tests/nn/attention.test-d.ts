import { expectError, expectType } from "tsd";
import { grad, nn, random, type Dim, type DType, type Tensor } from "typegrad";

declare const v: <T>() => T;
const k = random.key(0);

// ---- dotProductAttention ----

expectType<Tensor<["batch", 5, 32]>>(nn.dotProductAttention(v<Tensor<["batch", 5, 64]>>(), v<Tensor<["batch", 7, 64]>>(), v<Tensor<["batch", 7, 32]>>()));
expectType<Tensor<[2, 8, "seq", 16], "float64">>(
  nn.dotProductAttention(v<Tensor<[2, 8, "seq", 16], "float64">>(), v<Tensor<[2, 8, "seq", 16], "float64">>(), v<Tensor<[2, 8, "seq", 16], "float64">>(), {
    causal: true,
    scale: 0.25,
  }),
);
// A mask broadcasts to the logits [..., Tq, Tk]: [Tq, Tk], or [B, 1, Tk] (key padding).
expectType<Tensor<[4, 5, 32]>>(
  nn.dotProductAttention(v<Tensor<[4, 5, 64]>>(), v<Tensor<[4, 7, 64]>>(), v<Tensor<[4, 7, 32]>>(), { mask: v<Tensor<[5, 7], "bool">>() }),
);
expectType<Tensor<[4, 5, 32]>>(
  nn.dotProductAttention(v<Tensor<[4, 5, 64]>>(), v<Tensor<[4, 7, 64]>>(), v<Tensor<[4, 7, 32]>>(), { mask: v<Tensor<[4, 1, 7], "bool">>(), causal: true }),
);
expectError(nn.dotProductAttention(v<Tensor<[4, 5, 64]>>(), v<Tensor<[4, 7, 64]>>(), v<Tensor<[4, 7, 32]>>(), { mask: v<Tensor<[5, 6], "bool">>() }));
expectError(nn.dotProductAttention(v<Tensor<[4, 5, 64]>>(), v<Tensor<[4, 7, 64]>>(), v<Tensor<[4, 7, 32]>>(), { mask: v<Tensor<[5, 7], "float32">>() }));
// Shapes that do not fit: the error is on v and names the three shapes.
expectError(nn.dotProductAttention(v<Tensor<[4, 5, 64]>>(), v<Tensor<[4, 7, 32]>>(), v<Tensor<[4, 7, 32]>>()));
expectError(nn.dotProductAttention(v<Tensor<[4, 5, 64]>>(), v<Tensor<[4, 7, 64]>>(), v<Tensor<[4, 6, 32]>>()));
expectError(nn.dotProductAttention(v<Tensor<[4, 5, 64]>>(), v<Tensor<[3, 7, 64]>>(), v<Tensor<[3, 7, 32]>>()));
// One float dtype for q, k and v; no integer attention.
expectError(nn.dotProductAttention(v<Tensor<[5, 64]>>(), v<Tensor<[7, 64], "float64">>(), v<Tensor<[7, 32]>>()));
expectError(nn.dotProductAttention(v<Tensor<[5, 64], "int32">>(), v<Tensor<[7, 64], "int32">>(), v<Tensor<[7, 32], "int32">>()));

function attendGeneric<B extends Dim>(q: Tensor<[B, 4, 9, 16]>, kv: Tensor<[B, 4, 9, 16]>): Tensor<[B, 4, 9, 16]> {
  return nn.dotProductAttention(q, kv, kv, { causal: true });
}
expectType<Tensor<[3, 4, 9, 16]>>(attendGeneric(v<Tensor<[3, 4, 9, 16]>>(), v<Tensor<[3, 4, 9, 16]>>()));

// ---- splitHeads / mergeHeads keep the names ----

const x = v<Tensor<["batch", "seq", 64]>>();
expectType<Tensor<["batch", 8, "seq", 8]>>(nn.splitHeads(x, 8));
expectType<Tensor<["batch", "seq", 64]>>(nn.mergeHeads(nn.splitHeads(x, 8)));
expectType<Tensor<["batch", "seq", 64]>>(nn.mergeHeads(nn.dotProductAttention(nn.splitHeads(x, 4), nn.splitHeads(x, 4), nn.splitHeads(x, 4))));
expectError(nn.splitHeads(x, 6));
expectError(nn.splitHeads(v<Tensor<[64]>>(), 8));
expectError(nn.mergeHeads(v<Tensor<[10, 64]>>()));

// ---- multiHeadAttention ----

const mha = nn.multiHeadAttention(64, 8, { causal: true, dropout: 0.1 });
const mp = mha.init(k);
expectType<nn.MultiHeadParams<64>>(mp);
expectType<Tensor<[64, 64]>>(mp.wq);
expectType<Tensor<[64]>>(mp.bo);
expectType<Tensor<["batch", "seq", 64]>>(mha.apply(mp, x, { training: true, key: k }));
expectType<Tensor<[2, 3, 10, 64], "float64">>(mha.apply(mha.init(k, { dtype: "float64" }), v<Tensor<[2, 3, 10, 64], "float64">>()));
// float32 parameters on a float64 input: a DTypeError at run time, so a compile error.
expectError(mha.apply(mp, v<Tensor<[2, 3, 10, 64], "float64">>()));
expectError(mha.apply(mp, v<Tensor<["batch", "seq", 32]>>()));
expectError(mha.apply(mp, v<Tensor<["batch", 64]>>()));
expectType<"multiHeadAttention(64, 8) expects input [..., seq, 64] but got [seq, 32]">(
  v<nn.CheckInput<nn.FnOf<typeof mha>, Tensor<["batch", "seq", 32]>>>(),
);
// heads must divide dModel: a compile error when both are literals (a ShapeError otherwise).
expectError(nn.multiHeadAttention(64, 6));
expectError(nn.multiHeadAttention(64, 0));
expectType<nn.Layer<nn.SeqFn<`multiHeadAttention(${number}, 6)`, number>, nn.MultiHeadParams<number>>>(nn.multiHeadAttention(64 as number, 6));

function selfAttend<B extends Dim>(p: typeof mp, h: Tensor<[B, "seq", 64]>): Tensor<[B, "seq", 64]> {
  return mha.apply(p, h);
}
expectType<Tensor<[7, "seq", 64]>>(selfAttend(mp, v<Tensor<[7, "seq", 64]>>()));

// ---- positionalEmbedding ----

const pos = nn.positionalEmbedding(16, 64);
expectType<{ table: Tensor<[16, 64]> }>(pos.init(k));
expectType<Tensor<["batch", 16, 64]>>(pos.apply(pos.init(k), v<Tensor<["batch", 16, 64]>>()));
expectType<Tensor<["batch", 9, 64]>>(pos.apply(pos.init(k), v<Tensor<["batch", 9, 64]>>()));
expectType<Tensor<["batch", "seq", 64]>>(pos.apply(pos.init(k), v<Tensor<["batch", "seq", 64]>>()));
expectError(pos.apply(pos.init(k), v<Tensor<["batch", 17, 64]>>()));
expectError(pos.apply(pos.init(k), v<Tensor<["batch", 16, 32]>>()));
expectError(pos.apply(pos.init(k), v<Tensor<["batch", 2, 16, 64]>>()));
expectType<"positionalEmbedding(16, 64) expects input [seq ≤ 16, 64] but got [17, 64]">(
  v<nn.CheckInput<nn.FnOf<typeof pos>, Tensor<["batch", 17, 64]>>>(),
);

// ---- transformerBlock, and a typed character-level model ----

const block = nn.transformerBlock(64, 4, 256, { causal: true });
expectType<nn.TransformerBlockParams<64, 256>>(block.init(k));
expectType<{ up: { w: Tensor<[64, 256]>; b: Tensor<[256]> }; down: { w: Tensor<[256, 64]>; b: Tensor<[64]> } }>(block.init(k).mlp);
expectType<Tensor<["batch", "seq", 64]>>(block.apply(block.init(k), x));
expectError(nn.transformerBlock(64, 5, 256));
expectError(block.apply(block.init(k), v<Tensor<["batch", "seq", 48]>>()));

const model = nn.serial(
  nn.embedding(27, 64),
  nn.positionalEmbedding(16, 64),
  nn.transformerBlock(64, 4, 256, { causal: true }),
  nn.transformerBlock(64, 4, 256, { causal: true }),
  nn.layerNorm(64),
);
const params = model.init(k);
expectType<Tensor<[number, 16, 64]>>(model.apply(params, v<Tensor<[number, 16], "int32">>()));
expectType<Tensor<["batch", 12, 64]>>(model.apply(params, v<Tensor<["batch", 12], "int32">>()));
expectType<nn.TransformerBlockParams<64, 256>>(params[3]);
expectType<typeof params>(grad((p: typeof params) => v<Tensor<[]>>())(params));
// Too long a sequence: an error on x at apply time, naming the layer.
expectError(model.apply(params, v<Tensor<[number, 17], "int32">>()));
expectType<"layer 1: positionalEmbedding(16, 64) expects input [seq ≤ 16, 64] but got [17, 64]">(
  v<nn.CheckInput<nn.FnOf<typeof model>, Tensor<[number, 17], "int32">>>(),
);

// Mis-wired stacks fail at construction, on the offending layer.
expectError(nn.serial(nn.embedding(27, 64), nn.positionalEmbedding(16, 32)));
expectError(nn.serial(nn.embedding(27, 64), nn.positionalEmbedding(16, 64), nn.transformerBlock(32, 4, 128)));
expectError(nn.serial(nn.embedding(27, 64), nn.multiHeadAttention(48, 4)));
type Unknown = Tensor<Dim[], DType>;
type Emb = ReturnType<typeof nn.embedding<27, 64>>;
type Block = ReturnType<typeof nn.transformerBlock<32, 4, 128>>;
expectType<"layer 1: transformerBlock(32, 4, 128) expects input [..., seq, 32] but got [..., 64]">(
  v<nn.CallLayerFn<nn.SerialFn<[Emb, Block]>, Unknown>>(),
);
