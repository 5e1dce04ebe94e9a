// `npm run web`: builds the web page (examples/web/) and serves it on this machine, printing its
// URL. Ctrl-C stops it.   npm run web [-- --port 8080]
import { serve } from "./browser/server.mjs";
import { buildWeb } from "./web/build.mjs";

const argv = process.argv.slice(2);
const port = argv.includes("--port") ? Number(argv[argv.indexOf("--port") + 1]) : 8080;
if (!(Number.isInteger(port) && port >= 0 && port < 65536)) {
  console.error(`web: --port must be a port number, got ${argv[argv.indexOf("--port") + 1]}`);
  process.exit(1);
}
const folder = await buildWeb();
const { url } = await serve({ mounts: { "/": folder }, port }).catch((e) => {
  console.error(`web: cannot listen on port ${port} (${e.code ?? e.message}); try npm run web -- --port 0 for any free port`);
  process.exit(1);
});
console.log(`typegrad web page: ${url}  (Ctrl-C stops the server)`);
