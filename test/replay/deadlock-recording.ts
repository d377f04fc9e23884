/**
 * A recording of the Rust mutex-deadlock app made the way a user makes one:
 * `consolation record` attached from the app's start, the deadlock sprung
 * 1.5 s in, so the file holds a before and an after.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../cli/run-cli.js";
import { freePort } from "../support/free-port.js";
import { rustBin, startPeer } from "../support/rust-peers.js";

export const haveDeadlockApp = existsSync(rustBin("deadlock-app"));

export async function recordDeadlockApp(dir: string): Promise<string> {
  const port = await freePort();
  const app = startPeer(rustBin("deadlock-app"), [], { TOKIO_CONSOLE_BIND: `127.0.0.1:${port}`, DEADLOCK_DELAY_MS: "1500" });
  const file = join(dir, "deadlock.jsonl");
  try {
    await app.waitForPort(port);
    const recorded = await runCli(["record", `http://127.0.0.1:${port}`, "--for", "5s", "-o", file]);
    if (recorded.code !== 0) throw new Error(`consolation record failed (${recorded.code}): ${recorded.stderr}\n${app.describe()}`);
  } finally {
    await app.stop();
  }
  return file;
}
