import { expectError, expectType } from "tsd";
import { nn, random, type Tensor } from "typegrad";

declare const x: Tensor<["batch", 50, 8]>;
declare const xAnyTime: Tensor<[32, number, 8]>;

// [batch, time, in] → [batch, time, hidden]; the time dim (named or not) is kept.
const rnn = nn.simpleRnn(8, 16);
expectType<Tensor<["batch", 50, 16]>>(rnn.apply(rnn.init(random.key(0)), x));
const l = nn.lstm(8, 32);
expectType<Tensor<[32, number, 32]>>(l.apply(l.init(random.key(0)), xAnyTime));
// The last state only.
const g = nn.gru(8, 12, { returnSequences: false });
expectType<Tensor<["batch", 12]>>(g.apply(g.init(random.key(0)), x));

// Parameters: the gates stacked along the last axis.
expectType<{ wi: Tensor<[8, 128]>; wh: Tensor<[32, 128]>; b: Tensor<[128]> }>(l.init(random.key(0)));
expectType<Tensor<[12, 36]>>(g.init(random.key(0)).wh);

// In a stack: lstm → last state → dense.
const model = nn.serial(nn.lstm(8, 32, { returnSequences: false }), nn.dense(32, 1));
expectType<Tensor<["batch", 1]>>(model.apply(model.init(random.key(0)), x));

// A wrong input size fails at that layer.
declare const wrong: Tensor<["batch", 50, 7]>;
expectError(rnn.apply(rnn.init(random.key(0)), wrong));
expectError(nn.serial(nn.lstm(8, 32, { returnSequences: false }), nn.dense(16, 1)));
