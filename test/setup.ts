/**
 * @file Vitest setup: the registrations the package entry makes (src/index.ts), for tests that
 * import internals directly instead of the entry.
 */
import { registerPrimitives } from "../src/core/registry.js";
import { installMethods } from "../src/ops/methods.js";

registerPrimitives();
installMethods();
