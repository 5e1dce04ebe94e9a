// The browser tests, in headless Chromium driven by playwright-core (which drives the system's
// browser and downloads nothing): the smoke test of the built bundle (scripts/browser/smoke.mjs)
// and the web page used as a person would (scripts/browser/web-page.mjs), one browser, one server.
//   npm run test:browser   (builds dist/ first; part of npm test, after the build)
//   node scripts/browser-test.mjs [--chromium PATH] [--screenshot PATH] [--only smoke|web]
// The web page's screenshot goes to docs/web-screenshot.png (what the README shows) unless
// --screenshot says otherwise. With no Chromium the tests are skipped (exit 0, with a message),
// unless TYPEGRAD_REQUIRE_BROWSER=1 (as in .ci/run, which installs one): then that is a failure.
// With BROWSER_JSON=file, the counts are also written there as { passed, failed, skipped }.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { serve } from "./browser/server.mjs";
import { smoke, smokePage, smokePath } from "./browser/smoke.mjs";
import { webPage } from "./browser/web-page.mjs";
import { buildWeb } from "./web/build.mjs";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const argv = process.argv.slice(2);
const option = (name) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const only = option("--only");
const screenshot = path.resolve(option("--screenshot") ?? path.join(root, "docs/web-screenshot.png"));
const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"];
const executable = option("--chromium") ?? process.env.CHROMIUM_PATH ?? CANDIDATES.find((p) => fs.existsSync(p));

const failures = [];
function finish(counts) {
  if (process.env.BROWSER_JSON) fs.writeFileSync(process.env.BROWSER_JSON, JSON.stringify(counts));
  for (const f of failures) console.log(`failed: ${f}`);
  console.log(`browser: ${counts.passed} passed, ${counts.failed} failed`);
  process.exit(counts.failed === 0 ? 0 : 1);
}

if (executable === undefined || !fs.existsSync(executable)) {
  const why = `no Chromium ${executable ? `at ${executable}` : `found (looked at ${CANDIDATES.join(", ")})`}; install Debian's: apt-get install -y chromium, or pass --chromium PATH`;
  if (process.env.TYPEGRAD_REQUIRE_BROWSER === "1") {
    console.error(`browser tests: ${why}`);
    finish({ passed: 0, failed: 1, skipped: 0 });
  }
  console.log(`browser tests skipped: ${why}`);
  if (process.env.BROWSER_JSON) fs.writeFileSync(process.env.BROWSER_JSON, JSON.stringify({ passed: 0, failed: 0, skipped: 1 }));
  process.exit(0);
}
if (!fs.existsSync(path.join(root, "dist/index.js"))) {
  console.error("browser tests: dist/index.js is missing: run npm run build first (npm run test:browser does)");
  finish({ passed: 0, failed: 1, skipped: 0 });
}

const counts = { passed: 0, failed: 0, skipped: 0 };
const check = (name, ok, detail = "") => {
  counts[ok ? "passed" : "failed"]++;
  if (!ok) failures.push(name);
  console.log(`${ok ? "ok  " : "FAIL"} ${name}${detail ? ` (${detail})` : ""}`);
};
/** A step that throws (a timeout, a closed page) fails as one check and ends its group. */
const guarded = async (name, body) => {
  try {
    await body();
  } catch (e) {
    check(`${name}: no exception`, false, e?.message?.split("\n")[0] ?? String(e));
  }
};

const webFolder = await buildWeb({ quiet: true });
const server = await serve({ mounts: { "/": webFolder, "/dist/": path.join(root, "dist") }, pages: { [smokePath]: smokePage } });
let browser;
try {
  browser = await chromium.launch({
    executablePath: executable,
    // As root (CI) Chromium's sandbox cannot start; /dev/shm is small in containers.
    args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
    timeout: 30_000,
  });
} catch (e) {
  check(`Chromium starts (${executable})`, false, e?.message?.split("\n")[0] ?? String(e));
  await server.close();
  finish(counts);
}
// Ends the run on an overall deadline, with whatever the browser still holds closed.
const watchdog = setTimeout(() => {
  check("browser tests finish within 120 s", false);
  browser.close().finally(() => finish(counts));
}, 120_000);
try {
  console.log(`${browser.version()} (${executable}), pages from ${server.url}`);
  if (only === undefined || only === "smoke") {
    const context = await browser.newContext();
    await guarded("smoke", () => smoke(context, server.url, check));
    await context.close();
  }
  if (only === undefined || only === "web") {
    const context = await browser.newContext({ viewport: { width: 1000, height: 800 }, acceptDownloads: true });
    await guarded("web", async () => webPage(context, server.url, check, { ...(await mismatchedFile()), screenshot }));
    await context.close();
  }
} finally {
  clearTimeout(watchdog);
  await browser.close();
  await server.close();
}
finish(counts);

/**
 * A safetensors file for the page's MLP, but 64 hidden units wide where the model has 256: made
 * with the built bundle, as a user with another model would make one.
 */
async function mismatchedFile() {
  const tg = await import(pathToFileURL(path.join(root, "dist/index.js")).href);
  const narrow = [{ w: tg.zeros([784, 64]), b: tg.zeros([64]) }, {}, { w: tg.zeros([64, 10]), b: tg.zeros([10]) }];
  return { mismatched: tg.io.saveSafetensors(narrow, { model: "mlp" }), expectedError: "0.w: file has [784, 64], model expects [784, 256]" };
}
