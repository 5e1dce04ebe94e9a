import { expectError, expectType } from "tsd";
import type { Broadcast, BroadcastAll, BroadcastTo, Dim, Shape } from "typegrad";

declare const v: <T>() => T;
declare function shape<S extends Shape>(s: S): S;

// NumPy rules, any rank.
expectType<[8, 7, 6, 5]>(v<Broadcast<[8, 1, 6, 1], [7, 1, 5]>>());
expectType<[32, 10]>(v<Broadcast<[32, 10], [10]>>());
expectType<[32, 10]>(v<Broadcast<[], [32, 10]>>());
expectType<[2, 3, 4]>(v<BroadcastAll<[[3, 1], [4], [2, 1, 1]]>>());
// Symbolic and runtime dims: names match names; `number` defers to the runtime and yields the other dim.
expectType<["batch", 10]>(v<Broadcast<["batch", 10], [10]>>());
expectType<["batch", 10]>(v<Broadcast<["batch", 1], [1, 10]>>());
expectType<[7, 10]>(v<Broadcast<[number, 10], [7, 10]>>());
expectType<[number, 10]>(v<Broadcast<[number, 10], [number, 1]>>());
expectType<number[]>(v<Broadcast<number[], [3]>>());
expectType<[2, 3, 4]>(v<BroadcastTo<[3, 1], [2, 3, 4]>>());

// Errors are message literals naming the op, both dims and both shapes.
expectType<"add: cannot broadcast 32 with 3 (shapes [32, 10] and [3, 10])">(v<Broadcast<[32, 10], [3, 10], "add">>());
expectType<"broadcast: cannot broadcast batch with 7 (shapes [batch, 10] and [7, 10])">(v<Broadcast<["batch", 10], [7, 10]>>());
expectType<"broadcast: cannot broadcast batch with time (shapes [batch] and [time])">(v<Broadcast<["batch"], ["time"]>>());
expectType<"broadcastTo: cannot broadcast 3 to 4 (shape [3, 1] to [4, 1])">(v<BroadcastTo<[3, 1], [4, 1]>>());
expectType<"broadcastTo: cannot broadcast rank-2 shape [3, 1] to rank-1 shape [1]">(v<BroadcastTo<[3, 1], [1]>>());
expectError(shape(v<Broadcast<[32, 10], [3, 10]>>()));

// Generic batch: identical dims, a missing dim, and a 1 on the right all resolve.
function generic<B extends Dim>() {
  expectType<[B, 10]>(v<Broadcast<[B, 10], [B, 10]>>());
  expectType<[B, 10]>(v<Broadcast<[B, 10], [10]>>());
  expectType<[B, 10]>(v<Broadcast<[B, 10], [1, 10]>>());
}
generic();
