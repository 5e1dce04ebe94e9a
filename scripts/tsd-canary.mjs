// Runs tsd on a deliberately wrong assertion and fails unless tsd reports it: guards against a
// tsd run that silently checks nothing.
import { spawnSync } from "node:child_process";

const run = spawnSync(process.execPath, ["node_modules/tsd/dist/cli.js", "--files", "scripts/canary/wrong-assertion.test-d.ts"], {
  encoding: "utf8",
});
const output = `${run.stdout}${run.stderr}`;
if (run.status !== 0 && /Tensor<\[3\]/.test(output)) {
  console.log("tsd canary: the deliberately wrong assertion was reported, as it must be");
} else {
  console.error("tsd canary: tsd did NOT report the deliberately wrong assertion; type tests are not running");
  console.error(output);
  process.exit(1);
}
