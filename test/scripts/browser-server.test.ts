/**
 * @file The static server of the browser pages (scripts/browser/server.mjs, behind `npm run web`
 * and the browser tests): files under its mounts with the cross-origin-isolation headers, and
 * nothing outside them.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { serve } from "../../scripts/browser/server.mjs";

const folder = mkdtempSync(join(tmpdir(), "typegrad-server-"));
let server: { url: string; close: () => Promise<void> };

beforeAll(async () => {
  mkdirSync(join(folder, "site", "sub"), { recursive: true });
  writeFileSync(join(folder, "site", "index.html"), "<p>home</p>");
  writeFileSync(join(folder, "site", "sub", "app.js"), "export {};");
  writeFileSync(join(folder, "site", "data.gz"), new Uint8Array([0x1f, 0x8b, 8, 0]));
  writeFileSync(join(folder, "secret.txt"), "not served");
  server = await serve({ mounts: { "/": join(folder, "site") }, pages: { "/page.html": "<p>page</p>" } });
});
afterAll(async () => {
  await server.close();
  rmSync(folder, { recursive: true, force: true });
});

describe("the browser pages' server", () => {
  test("serves files, folders as their index.html, and given pages, all cross-origin isolated", async () => {
    for (const [path, type, body] of [
      ["", "text/html", "<p>home</p>"],
      ["sub/app.js", "text/javascript", "export {};"],
      ["page.html", "text/html", "<p>page</p>"],
    ]) {
      const r = await fetch(server.url + path);
      expect(r.status).toBe(200);
      expect(r.headers.get("content-type")).toContain(type);
      expect(r.headers.get("cross-origin-opener-policy")).toBe("same-origin");
      expect(r.headers.get("cross-origin-embedder-policy")).toBe("require-corp");
      expect(await r.text()).toBe(body);
    }
  });

  test("a gzipped file is sent as its bytes, not decoded on the way", async () => {
    const r = await fetch(server.url + "data.gz");
    expect(r.headers.get("content-encoding")).toBeNull();
    expect(Array.from(new Uint8Array(await r.arrayBuffer()))).toEqual([0x1f, 0x8b, 8, 0]);
  });

  test("nothing outside the mount, however the path is spelled; missing files are 404; only GET and HEAD", async () => {
    for (const path of ["../secret.txt", "%2e%2e/secret.txt", "sub/..%2f..%2fsecret.txt", "missing.js"]) {
      const r = await fetch(server.url + path);
      expect(r.status).toBe(404);
      expect(await r.text()).not.toContain("not served");
    }
    expect((await fetch(server.url + "%E0%A4%A")).status).toBe(400);
    expect((await fetch(server.url, { method: "POST", body: "x" })).status).toBe(405);
    expect((await fetch(server.url + "sub/app.js", { method: "HEAD" })).headers.get("content-length")).toBe("10");
  });
});
