// A TypeDoc plugin (loaded by typedoc.config.mjs): warns about every export of a module or
// namespace that has no `@category`, so that the site's navigation has no "Other" heap. With
// `treatWarningsAsErrors`, a new export without one fails `npm run docs` and `npm run docs:check`.
// Re-exports under a second name (`var` for `variance`) are references: they are listed with the
// export they rename and need no category of their own.
import { Application, ReflectionKind } from "typedoc";

/** @param {import("typedoc").Application} app */
export function load(app) {
  app.on(Application.EVENT_VALIDATE_PROJECT, (project) => {
    const defaultCategory = app.options.getValue("defaultCategory");
    const containers = project.getReflectionsByKind(ReflectionKind.Module | ReflectionKind.Namespace);
    for (const container of [project, ...containers]) {
      for (const category of container.categories ?? []) {
        if (category.title !== defaultCategory) continue;
        for (const child of category.children) {
          if (child.kindOf(ReflectionKind.Reference)) continue;
          app.logger.warn(`${child.getFriendlyFullName()} (${ReflectionKind.singularString(child.kind)}) has no @category`);
        }
      }
    }
  });
}
