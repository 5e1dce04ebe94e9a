/** @file `typegrad/node` files: safetensors and training states saved atomically and loaded as `Either`s. */
import { afterAll, describe, expect, test } from "vitest";
import * as E from "fp-ts/lib/Either.js";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { io, nn, optim, random, zeros } from "../../src/index.js";
import { loadSafetensorsFile, loadTrainStateFile, saveSafetensorsFile, saveTrainStateFile } from "../../src/node.js";

const dir = mkdtempSync(join(tmpdir(), "typegrad-io-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("safetensors files", () => {
  const model = nn.serial(nn.dense(3, 5), nn.relu, nn.dense(5, 2));
  const params = model.init(random.key(0));

  test("save then load gives the parameters back; the file holds exactly io.saveSafetensors's bytes", () => {
    const path = join(dir, "mlp.safetensors");
    expect(saveSafetensorsFile(path, params, { note: "n" })).toEqual(E.right(undefined));
    expect(new Uint8Array(readFileSync(path))).toEqual(io.saveSafetensors(params, { note: "n" }));
    const back = loadSafetensorsFile(path, model.init(random.key(9)));
    expect(E.isRight(back) && back.right[2].w.toArray()).toEqual(params[2].w.toArray());
    expect(readdirSync(dir)).toEqual(["mlp.safetensors"]);
  });

  test("file errors are Lefts: a missing file, a directory in the way; the old file survives a failed save", () => {
    const missing = loadSafetensorsFile(join(dir, "nope.safetensors"), params);
    expect(E.isLeft(missing) && missing.left.message).toMatch(/^loadSafetensorsFile: cannot read .*nope\.safetensors: ENOENT/);
    expect(E.isLeft(missing) && missing.left).toBeInstanceOf(io.IoError);
    const noDir = saveSafetensorsFile(join(dir, "no", "such", "dir", "x.safetensors"), params);
    expect(E.isLeft(noDir) && noDir.left.message).toMatch(/^saveSafetensorsFile: cannot write .*x\.safetensors: ENOENT/);

    const blocked = join(dir, "blocked");
    mkdirSync(join(blocked, "inside"), { recursive: true });
    const r = saveSafetensorsFile(blocked, params);
    expect(E.isLeft(r) && r.left.message).toMatch(/^saveSafetensorsFile: cannot write .*blocked: E(ISDIR|NOTEMPTY|EXIST)/);
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);

    const path = join(dir, "keep.safetensors");
    saveSafetensorsFile(path, params);
    const before = readFileSync(path);
    expect(() => saveSafetensorsFile(path, { lr: 0.1 } as never)).toThrow(TypeError);
    expect(readFileSync(path)).toEqual(before);
  });

  test("a damaged file is a Left naming the problem", () => {
    const path = join(dir, "damaged.safetensors");
    writeFileSync(path, io.saveSafetensors(params).subarray(0, 40));
    const r = loadSafetensorsFile(path, params);
    expect(E.isLeft(r) && r.left.message).toMatch(/^io\.loadSafetensors: the header is declared as \d+ bytes but the file has only 32/);
  });
});

describe("training-state files", () => {
  test("round trip with key and counts", () => {
    const params = { w: zeros([2]) };
    const opt = optim.adam(0.1);
    const path = join(dir, "run.safetensors");
    expect(E.isRight(saveTrainStateFile(path, { params, optState: opt.init(params), key: random.key(4), epoch: 2, step: 30 }))).toBe(true);
    const back = loadTrainStateFile(path, { params, optState: opt.init(params) });
    expect(E.isRight(back) && [back.right.epoch, back.right.step, back.right.key!.toArray()]).toEqual([2, 30, random.key(4).toArray()]);
    const missing = loadTrainStateFile(join(dir, "none"), { params, optState: opt.init(params) });
    expect(E.isLeft(missing) && missing.left.message).toMatch(/^loadTrainStateFile: cannot read/);
  });
});
