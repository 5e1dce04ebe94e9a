// `prestart` and `pretest`: on a fresh clone (no node_modules), installs the locked dependencies
// with `npm ci`, so `npm start` and `npm test` work as the first command. Does nothing at all
// when node_modules exists (CI runs `npm ci` itself first; and `npm ci` would delete a tree that
// another tool installed). Uses only Node's built-ins: nothing else is installed yet.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

if (!existsSync("node_modules")) {
  console.log("node_modules is missing (a fresh clone?): installing the locked dependencies with npm ci");
  // Under npm, npm_execpath is the npm that runs this script: use that one, not whatever is on PATH.
  const cli = process.env.npm_execpath;
  const [cmd, args] = cli !== undefined && cli.endsWith(".js") ? [process.execPath, [cli, "ci"]] : ["npm", ["ci"]];
  const r = spawnSync(cmd, args, { stdio: "inherit", shell: cmd === "npm" && process.platform === "win32" });
  if (r.status !== 0) {
    console.error(`npm ci failed (${r.status ?? r.error?.message ?? r.signal}); run it yourself and retry`);
    process.exit(r.status || 1);
  }
}
