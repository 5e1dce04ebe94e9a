/** @file Whether this engine runs WebAssembly SIMD: the check behind the `auto` backend. */
import { Code, encodeModule } from "./emit.js";
import { v } from "./simd.js";

let available: boolean | undefined;

/** Whether this engine runs WebAssembly SIMD (and lets us compile modules). */
export function wasmAvailable(): boolean {
  if (available === undefined) {
    try {
      const c = new Code(0);
      v.f32(c, 1);
      c.bytes.push(0x1a); // drop
      available = typeof WebAssembly !== "undefined" && WebAssembly.validate(encodeModule([{ name: "probe", params: [], results: [], code: c }]));
    } catch {
      available = false;
    }
  }
  return available;
}
