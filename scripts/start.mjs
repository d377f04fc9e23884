#!/usr/bin/env node
// `npm start`: the demo. Until the Node story service lands, it runs the Rust
// mutex-deadlock app with console-subscriber and shows what consolation sees
// in it over the console wire protocol.
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { repoRoot, rustBinDir } from "./lib/paths.mjs";
import { log, run } from "./lib/run.mjs";

run(process.execPath, [join(repoRoot, "scripts", "ensure-prereqs.mjs"), "--rust"]);
run(process.execPath, [join(repoRoot, "node_modules", "typescript", "bin", "tsc"), "-b"], { cwd: repoRoot });

const port = await new Promise((resolve, reject) => {
  const probe = createServer().once("error", reject);
  probe.listen(0, "127.0.0.1", () => {
    const { port } = probe.address();
    probe.close(() => resolve(port));
  });
});

log(`starting the Rust deadlock demo (console-subscriber on 127.0.0.1:${port})`);
const app = spawn(join(rustBinDir, "deadlock-app"), [], {
  env: { ...process.env, TOKIO_CONSOLE_BIND: `127.0.0.1:${port}`, DEADLOCK_DELAY_MS: "1000" },
  stdio: ["ignore", "ignore", "inherit"],
});
const stop = () => app.kill("SIGTERM");
process.on("SIGINT", stop);

// Give the two transfer tasks time to take their first locks and deadlock.
await new Promise((resolve) => setTimeout(resolve, 2500));
log(`consolation dump --port ${port}`);
const dump = run(process.execPath, [join(repoRoot, "packages", "consolation", "bin", "consolation.js"), "dump", "--port", String(port)], {
  allowFailure: true,
});
stop();
process.exit(dump.status);
