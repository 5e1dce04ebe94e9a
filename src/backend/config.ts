/**
 * @file Which backend runs kernels. `auto` (the default) uses WebAssembly SIMD where the engine
 * has it and falls back to the portable JS kernels; `js` forces the JS kernels everywhere (e.g.
 * to compare results, or under a content security policy that forbids compiling WebAssembly);
 * `wasm` demands WebAssembly and fails loudly where it is missing. The choice applies to programs
 * compiled after it (each jit plan is compiled per backend). backend.ts maps the choice to the
 * implementation of the `Backend` interface.
 */
import { wasmAvailable } from "./wasm/probe.js";

/**
 * The backends a user can ask for.
 * @category Configuration
 */
export type BackendChoice = "auto" | "wasm" | "js";

/**
 * What runs kernels after resolving `auto`.
 * @category Configuration
 */
export type Backend = "wasm" | "js";

let choice: BackendChoice = "auto";

/**
 * Chooses the backend for programs compiled from now on.
 * @throws {Error} for an unknown name, or for `wasm` where WebAssembly SIMD is not available.
 * @example
 * setBackend("js"); // portable JS kernels only
 * @category Configuration
 */
export function setBackend(name: BackendChoice): void {
  if (name !== "auto" && name !== "wasm" && name !== "js") {
    throw new Error(`setBackend: expected "auto", "wasm" or "js", got ${JSON.stringify(name)}`);
  }
  if (name === "wasm" && !wasmAvailable()) throw new Error("setBackend: WebAssembly SIMD is not available in this engine");
  choice = name;
}

/**
 * The backend in use: `wasm` or `js` (`auto` resolved).
 * @category Configuration
 */
export function getBackend(): Backend {
  if (choice === "js") return "js";
  return wasmAvailable() ? "wasm" : "js";
}
