/** @file SVG plots for the examples, drawn with Vega-Lite (rendered headless by Vega). */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as vega from "vega";
import * as vl from "vega-lite";

/** Where examples write their plots: examples/out/. */
export const OUT_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "out");

/** One row of plotted data. */
export type Row = Record<string, number | string>;

/** A line chart of `rows` (`x`, `y`, and a `series` field for several lines), written as an SVG file. */
export async function linePlot(
  file: string,
  rows: readonly Row[],
  options: { title: string; x: string; y: string; series?: string; logY?: boolean; points?: readonly Row[] },
): Promise<string> {
  const line: vl.TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: options.title,
    width: 480,
    height: 300,
    layer: [
      {
        data: { values: rows as Row[] },
        mark: { type: "line" },
        encoding: {
          x: { field: "x", type: "quantitative", title: options.x },
          y: { field: "y", type: "quantitative", title: options.y, scale: options.logY ? { type: "log" } : {} },
          ...(options.series ? { color: { field: "series", type: "nominal", title: options.series } } : {}),
        },
      },
      ...(options.points
        ? [
            {
              data: { values: options.points as Row[] },
              mark: { type: "point" as const, size: 12, opacity: 0.5 },
              encoding: {
                x: { field: "x", type: "quantitative" as const },
                y: { field: "y", type: "quantitative" as const },
              },
            },
          ]
        : []),
    ],
  };
  const view = new vega.View(vega.parse(vl.compile(line).spec), { renderer: "none" });
  const svg = await view.toSVG();
  mkdirSync(OUT_DIR, { recursive: true });
  const path = join(OUT_DIR, file);
  writeFileSync(path, svg);
  return path;
}
