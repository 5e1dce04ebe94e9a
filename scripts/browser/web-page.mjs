// The web page (examples/web/) used as a person would, in a real browser (run by
// scripts/browser-test.mjs): draw a stroke and see a prediction; train briefly (1,000 digits, one
// epoch) with the progress bar and loss plot moving (after a run stopped early, and a very short
// one of the CNN); see the stroke read as a 1; find the weights
// saved in IndexedDB; refuse a mismatched .safetensors file with the IoError's text; download the
// weights and load the file back; reload the page and find the saved weights loaded; screenshot.
import fs from "node:fs";
import path from "node:path";

/** The reduced run: seconds, not minutes (the page's defaults train on 8,000 digits). */
const TRAIN_DIGITS = "1000";
const EPOCHS = "1";

/**
 * Runs the checks in a new page of `context` (a fresh profile: no saved weights yet).
 * `mismatched` is a safetensors file for the MLP with the wrong hidden width and `expectedError`
 * a piece of the message it must give; `screenshot` is where the picture goes.
 */
export async function webPage(context, baseUrl, check, { mismatched, expectedError, screenshot }) {
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  const state = (name) => page.evaluate((n) => document.body.dataset[n] ?? "", name);
  const text = (selector) => page.locator(selector).innerText();
  const until = (selector, timeout = 30_000) => page.waitForSelector(selector, { state: "attached", timeout });
  try {
    await page.goto(baseUrl);
    await until("body[data-ready=true]");
    check("web: the page loads cross-origin isolated", await page.evaluate(() => self.crossOriginIsolated));
    check("web: a fresh browser starts with untrained weights", (await state("weights")) === "untrained", await state("weights"));

    await drawOne(page);
    const shown = await prediction(page);
    check("web: a stroke gets a prediction as it is drawn", shown.digit !== "" && Math.abs(shown.total - 100) < 0.5, JSON.stringify(shown));
    check("web: the 28×28 image the model sees has ink", (await inkOf(page)) > 10, `${await inkOf(page)} ink`);

    // Stop: a run with the page's defaults (8,000 digits) is stopped a few steps in.
    await startTraining(page, { kind: "mlp" });
    await page.waitForFunction(() => document.querySelector("#progress").value >= 3, null, { timeout: 30_000 });
    await page.locator("#stop").click();
    check("web: Stop ends a run before its first epoch, leaving the weights as they were", (await state("training")) === "stopped" && (await state("weights")) === "untrained", await text("#train-status"));

    // The CNN, very briefly: it trains in the worker and its weights predict in the page.
    await startTraining(page, { kind: "cnn", digits: "300", epochs: "1", shifts: false });
    await watchTraining(page, state);
    await until('body[data-stored="saved cnn"], body[data-stored=failed]', 10_000);
    const cnn = await prediction(page);
    check("web: the CNN trains in the worker and predicts", (await state("training")) === "done" && /^CNN/.test(await text("#using")) && cnn.digit !== "", `${await text("#train-status")}; ${JSON.stringify(cnn)}`);

    await startTraining(page, { kind: "mlp", digits: TRAIN_DIGITS, epochs: EPOCHS, shifts: true });
    const seen = await watchTraining(page, state);
    check("web: the progress bar advances during training", seen.progress.size >= 2, `${seen.progress.size} distinct values seen`);
    check("web: the loss plot is drawn during training", seen.plotted > 0, `${seen.plotted} pixels`);
    const status = await text("#train-status");
    check("web: training in the worker finishes", (await state("training")) === "done", status);
    const progress = await page.evaluate(() => [document.querySelector("#progress").value, document.querySelector("#progress").max]);
    check("web: the progress bar is full", progress[0] === progress[1] && progress[1] > 10, progress.join(" of "));
    check("web: the loss plot has a curve", (await plotInk(page)) > 200, `${await plotInk(page)} drawn pixels`);
    const accuracy = Number(/held-out accuracy ([\d.]+)%/.exec(status)?.[1]);
    check("web: held-out accuracy after one short epoch is well above chance", accuracy > 70, `${accuracy}%`);
    const trained = await prediction(page);
    check("web: the stroke is read as a 1 by the trained model", trained.digit === "1", JSON.stringify(trained));
    await until('body[data-stored="saved mlp"], body[data-stored=failed]', 10_000);
    check("web: the page says the weights are saved", /^saved in this browser \(IndexedDB\): MLP/.test(await text("#stored")), await text("#stored"));
    const stored = await savedRecords(page);
    const mlpRecord = stored.find((r) => r.kind === "mlp");
    check("web: the weights are saved in IndexedDB (the MLP's and the CNN's)", stored.length === 2 && mlpRecord?.bytes > 800_000, JSON.stringify(stored));

    await page.locator("#file").setInputFiles({ name: "narrow.safetensors", mimeType: "application/octet-stream", buffer: Buffer.from(mismatched) });
    await until("body[data-file=rejected]", 10_000);
    const rejection = await text("#file-error");
    check("web: a mismatched .safetensors file is refused with the IoError's text", rejection.includes(expectedError), rejection);
    check("web: the refused file leaves the trained weights in use", (await state("weights")) === "trained", await state("weights"));

    const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#download").click()]);
    const downloaded = fs.readFileSync(await download.path());
    await page.locator("#file").setInputFiles({ name: download.suggestedFilename(), mimeType: "application/octet-stream", buffer: downloaded });
    await until("body[data-file=loaded]", 10_000);
    const fromFile = await prediction(page);
    check("web: the downloaded .safetensors file loads back and predicts the same", fromFile.digit === trained.digit && fromFile.text === trained.text, `${download.suggestedFilename()}: ${JSON.stringify(fromFile)}`);

    await page.reload();
    await until("body[data-ready=true]");
    const reloaded = await text("#stored");
    check("web: after a reload the saved weights are found and loaded", (await state("weights")) === "browser" && /loaded the weights saved in this browser \(IndexedDB\)/.test(reloaded), reloaded);
    check("web: the loss plot comes back with them", (await plotInk(page)) > 200);
    await drawOne(page);
    const again = await prediction(page);
    check("web: the reloaded weights predict as before", again.digit === trained.digit && again.text === trained.text, JSON.stringify(again));
    await page.locator("#clear").click();
    await drawSeven(page);
    const seven = await prediction(page);
    check("web: a second digit gets a prediction", seven.digit !== "", JSON.stringify(seven));

    fs.mkdirSync(path.dirname(screenshot), { recursive: true });
    await page.screenshot({ path: screenshot, fullPage: true });
    check("web: screenshot taken", fs.statSync(screenshot).size > 10_000, screenshot);
    check("web: no errors in the page", errors.length === 0, errors.join(" | "));
  } finally {
    await page.close();
  }
}

/** Fills the training form (what is given) and presses Train. */
async function startTraining(page, { kind, digits, epochs, shifts }) {
  await page.locator("#kind").selectOption(kind);
  if (digits !== undefined) await page.locator("#train-size").fill(digits);
  if (epochs !== undefined) await page.locator("#epochs").fill(epochs);
  if (shifts !== undefined) await page.locator("#shifts").setChecked(shifts);
  await page.locator("#train").click();
}

/** Watches a run to its end as a person would: the progress values and loss plot seen on the way. */
async function watchTraining(page, state) {
  const seen = { progress: new Set(), plotted: 0 };
  const deadline = Date.now() + 60_000;
  while (["loading", "running"].includes(await state("training")) && Date.now() < deadline) {
    const [value, max] = await page.evaluate(() => [document.querySelector("#progress").value, document.querySelector("#progress").max]);
    if (value > 0 && value < max) {
      seen.progress.add(value);
      seen.plotted = Math.max(seen.plotted, await plotInk(page));
    }
    await page.waitForTimeout(100);
  }
  return seen;
}

/** A mouse stroke through `points` (fractions of the pad's size). */
async function stroke(page, points) {
  const box = await page.locator("#pad").boundingBox();
  const at = ([fx, fy]) => [box.x + fx * box.width, box.y + fy * box.height];
  await page.mouse.move(...at(points[0]));
  await page.mouse.down();
  for (const p of points.slice(1)) await page.mouse.move(...at(p), { steps: 10 });
  await page.mouse.up();
}

const drawOne = (page) => stroke(page, [[0.52, 0.15], [0.5, 0.85]]);
async function drawSeven(page) {
  await stroke(page, [[0.28, 0.2], [0.72, 0.2], [0.45, 0.85]]);
}

/** The shown digit, the bars' percentages (text, and their total) once the frame has drawn. */
async function prediction(page) {
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  return page.evaluate(() => {
    const pcts = [...document.querySelectorAll("#bars .pct")].map((e) => e.textContent);
    return { digit: document.querySelector("#prediction").dataset.digit, text: pcts.join(" "), total: pcts.reduce((a, t) => a + parseFloat(t || "0"), 0) };
  });
}

/** Lit pixels of the 28×28 preview. */
const inkOf = (page) =>
  page.evaluate(() => {
    const c = document.querySelector("#seen");
    return [...c.getContext("2d").getImageData(0, 0, c.width, c.height).data].filter((v, i) => i % 4 === 0 && v > 64).length;
  });

/** Pixels of the loss plot drawn in the curve's blue. */
const plotInk = (page) =>
  page.evaluate(() => {
    const c = document.querySelector("#loss-plot");
    const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 128 && d[i + 2] > 150 && d[i] < 100) n++;
    return n;
  });

/** What the page's IndexedDB holds, read directly (kind and byte count of each record). */
const savedRecords = (page) =>
  page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open("typegrad-web");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains("weights")) return resolve([]);
          const all = db.transaction("weights").objectStore("weights").getAll();
          all.onsuccess = () => resolve(all.result.map((r) => ({ kind: r.kind, bytes: r.bytes.length })));
          all.onerror = () => reject(all.error);
        };
      }),
  );
