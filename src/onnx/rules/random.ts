/**
 * @file Export rule of `threefry2x32`, the block cipher behind `random`: its 20 rounds unrolled
 * into additions, rotations and exclusive ors of uint32 words (ONNX's `BitShift` takes unsigned
 * words only; int32 and uint32 share bit patterns, so the words are cast once in and once out).
 * Bitwise ops are ONNX opset 18, so an export for an older opset stops here with an error.
 */
import { str, type GraphBuilder } from "../graph.js";
import { OnnxExportError } from "../errors.js";
import type { ExportRules } from "./types.js";

const ROTATIONS = [13, 15, 26, 6, 17, 29, 16, 24];
const PARITY = 0x1bd11bda;

/** The uint32 word `x` rotated left by `r` bits. */
function rotateLeft(g: GraphBuilder, x: string, r: number): string {
  const left = g.op("BitShift", [x, g.scalar("uint32", r)], { direction: str("LEFT") });
  const right = g.op("BitShift", [x, g.scalar("uint32", 32 - r)], { direction: str("RIGHT") });
  return g.op("BitwiseOr", [left, right]);
}

/** Export rule of `threefry2x32`. */
export const randomRules: ExportRules = {
  // The rounds of Salmon et al. (SC 2011), as typegrad's kernel runs them: 5 groups of 4 rounds,
  // a key injection after each group.
  threefry2x32: ({ g }, words) => {
    if (g.opset < 18) {
      throw new OnnxExportError(`threefry2x32: needs ONNX opset 18 or later (bitwise ops), got opset ${g.opset}`, "threefry2x32");
    }
    const [k0, k1, c0, c1] = words.map((w) => g.cast(w.name, "int32", "uint32"));
    const add = (a: string, b: string) => g.op("Add", [a, b]);
    const ks = [k0, k1, g.op("BitwiseXor", [g.op("BitwiseXor", [k0, k1]), g.scalar("uint32", PARITY)])];
    let x0 = add(c0, ks[0]);
    let x1 = add(c1, ks[1]);
    for (let group = 0; group < 5; group++) {
      for (let j = 0; j < 4; j++) {
        x0 = add(x0, x1);
        x1 = g.op("BitwiseXor", [rotateLeft(g, x1, ROTATIONS[(group % 2) * 4 + j]), x0]);
      }
      x0 = add(x0, ks[(group + 1) % 3]);
      x1 = add(add(x1, ks[(group + 2) % 3]), g.scalar("uint32", group + 1));
    }
    return [g.cast(x0, "uint32", "int32"), g.cast(x1, "uint32", "int32")];
  },
};
