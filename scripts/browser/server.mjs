// A static file server for the browser pages (the web page, the smoke test), on this machine
// only. Every response carries the cross-origin-isolation headers, so that SharedArrayBuffer and
// typegrad's worker pool are allowed, in the page and in its workers alike.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json",
  ".json": "application/json",
  ".png": "image/png",
  ".svg": "image/svg+xml",
};
export const ISOLATION = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
  "Cross-Origin-Resource-Policy": "same-origin",
};

/**
 * Serves `mounts` (URL prefix → folder, e.g. `{ "/": "examples/out/web", "/dist/": "dist" }`,
 * longest prefix first) and `pages` (exact URL → HTML text) on 127.0.0.1. Files outside a mount's
 * folder are never served. Resolves to `{ url, close }` once listening.
 */
export async function serve({ mounts = {}, pages = {}, port = 0, host = "127.0.0.1" } = {}) {
  const prefixes = Object.keys(mounts).sort((a, b) => b.length - a.length);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (req.method !== "GET" && req.method !== "HEAD") return void res.writeHead(405, ISOLATION).end();
    if (Object.hasOwn(pages, url.pathname)) {
      return void res.writeHead(200, { "Content-Type": TYPES[".html"], "Cache-Control": "no-store", ...ISOLATION }).end(pages[url.pathname]);
    }
    let pathname;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      return void res.writeHead(400, { "Content-Type": "text/plain", ...ISOLATION }).end("bad path");
    }
    const file = resolveFile(mounts, prefixes, pathname);
    if (file === null) return void res.writeHead(404, { "Content-Type": "text/plain", ...ISOLATION }).end("not found");
    res.writeHead(200, {
      // NB: no Content-Encoding for .gz files: the page wants the gzipped bytes themselves.
      "Content-Type": TYPES[path.extname(file)] ?? "application/octet-stream",
      "Content-Length": fs.statSync(file).size,
      "Cache-Control": "no-store",
      ...ISOLATION,
    });
    if (req.method === "HEAD") return void res.end();
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
  const { port: bound } = server.address();
  return {
    url: `http://${host}:${bound}/`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** The file a URL path names under its mount (index.html for a folder), or null. */
function resolveFile(mounts, prefixes, pathname) {
  for (const prefix of prefixes) {
    if (!pathname.startsWith(prefix)) continue;
    const folder = path.resolve(mounts[prefix]);
    let file = path.resolve(folder, "." + path.posix.normalize("/" + pathname.slice(prefix.length)));
    if (file !== folder && !file.startsWith(folder + path.sep)) return null;
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
    return fs.existsSync(file) && fs.statSync(file).isFile() ? file : null;
  }
  return null;
}
