// TypeDoc configuration for `npm run docs`: the API site in docs/api/ (git-ignored), built from the
// three entry points. `npm test` builds it too (`npm run test:docs`), so that a warning fails the tests.
import { OptionDefaults } from "typedoc";

/** @type {Partial<import("typedoc").TypeDocOptions>} */
const config = {
  name: "typegrad",
  entryPoints: ["src/index.ts", "src/node.ts", "src/onnx/index.ts"],
  out: "docs/api",
  tsconfig: "tsconfig.json",
  readme: "README.md",
  // `npm run typecheck` checks the sources; TypeDoc checking them again would double its time.
  skipErrorChecking: true,
  // `@file` heads each module of src/ (the project's convention for a file's purpose).
  blockTags: [...OptionDefaults.blockTags, "@file"],
  // ... and is for maintainers: the site shows the summary above it instead.
  excludeTags: [...OptionDefaults.excludeTags, "@file"],
  // Every export must also have a @category (scripts/typedoc-require-category.mjs).
  plugin: ["./scripts/typedoc-require-category.mjs"],
  // No links to a hosted copy of the sources: a clone's remote may be anything (a path, none),
  // and TypeDoc warns when it cannot make a link from it.
  disableSources: true,
  excludePrivate: true,
  excludeInternal: true,
  navigation: { includeCategories: true, includeGroups: false },
  validation: {
    notDocumented: true,
    invalidLink: true,
    invalidPath: true,
    rewrittenLink: true,
    unusedMergeModuleWith: true,
    // Public signatures name internal helper types (the digit arithmetic behind `Add`, the
    // checks behind `serial`): they are deliberately not exported, so they are not API to document.
    notExported: false,
  },
  // An undocumented export, a broken {@link} or an unknown tag fails the build.
  treatWarningsAsErrors: true,
};

export default config;
