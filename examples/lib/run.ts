/** @file Shared by the examples: how they are run (fully from npm scripts, reduced from tests). */
import { pathToFileURL } from "node:url";

/** How an example runs: `quick` is the reduced form the tests use (fewer steps, no plots). */
export interface RunOptions {
  readonly quick?: boolean;
  /** Print what the example shows (default true). */
  readonly log?: (line: string) => void;
}

/** True when `moduleUrl` is the script node was started with. */
export function isMain(moduleUrl: string): boolean {
  return process.argv[1] !== undefined && moduleUrl === pathToFileURL(process.argv[1]).href;
}

/** The logger of a run. */
export function logger(options: RunOptions): (line: string) => void {
  return options.log ?? ((line) => console.log(line));
}
