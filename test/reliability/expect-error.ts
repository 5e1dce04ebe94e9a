/**
 * @file The assertion every case of the reliability corpus makes: `run` throws an error of
 * exactly `error`'s class (not a subclass, not a built-in standing in for a library class) whose
 * message matches `message`. Returns the error for further checks.
 */
import { expect } from "vitest";

/** A class of error, as `instanceof` and `constructor` see it. */
export type ErrorClass = new (...args: never[]) => Error;

/** Runs `run` and checks what it threw. */
export function expectThrown(run: () => unknown, error: ErrorClass, message: RegExp): Error {
  let thrown: unknown;
  try {
    run();
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(error);
  expect((thrown as Error).constructor).toBe(error);
  expect((thrown as Error).message).toMatch(message);
  return thrown as Error;
}
