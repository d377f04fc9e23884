/**
 * The story, end to end: the real `consolation` binary under tmux watching the
 * story's Node service (examples/node/prototype-channel, instrumented with
 * insight). It walks the whole chain: task list → the blocked writer →
 * `prototype_channel` "waiting on channel capacity" → Enter → the reader →
 * `?` help → Esc → the deadlock warning → P → D, and Graphviz must accept the
 * written .dot.
 *
 * The example is written separately; until it exists this test is skipped.
 * Its start command is assumed to be `node <dir>/<package.json main or
 * server.js>`, with the insight port from INSIGHT_PORT and load put on it by
 * the example itself.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../support/free-port.js";
import { startPeer, type Peer } from "../support/rust-peers.js";
import { TmuxSession } from "../support/tmux.js";

const repoRoot = new URL("../../", import.meta.url).pathname;
const consolation = join(repoRoot, "packages/consolation/bin/consolation.js");
const exampleDir = join(repoRoot, "examples/node/prototype-channel");

function exampleEntry(): string | undefined {
  if (!existsSync(exampleDir)) return undefined;
  const pkg = join(exampleDir, "package.json");
  const main = existsSync(pkg) ? (JSON.parse(readFileSync(pkg, "utf8")) as { main?: string }).main : undefined;
  const entry = join(exampleDir, main ?? "server.js");
  return existsSync(entry) ? entry : undefined;
}

const entry = exampleEntry();

describe.skipIf(entry === undefined)("consolation walking the story against the Node prototype-channel service", () => {
  let service: Peer;
  let tmux: TmuxSession;
  let outDir: string;

  beforeAll(async () => {
    const port = await freePort();
    service = startPeer(process.execPath, [entry!], { INSIGHT_PORT: String(port), PORT: "0" });
    await service.waitForPort(port);
    outDir = mkdtempSync(join(tmpdir(), "consolation-story-"));
    tmux = await TmuxSession.start(process.execPath, [consolation, "--port", String(port), "--out-dir", outDir], { width: 120, height: 40 });
  });

  afterAll(async () => {
    await tmux?.kill();
    await service?.stop();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it("follows the blocked task to the channel, to its reader, and on to the deadlock", async () => {
    await tmux.waitForScreen((s) => s.includes("CONNECTED") && /\bblocked\b/.test(s), { description: "a blocked task in the list" });
    // Sort by state (running, ready, blocked…) and filter on the blocked state to reach the sender.
    await tmux.sendKeys("/", "blocked", "Enter");
    await tmux.waitForScreen((s) => /filter: "blocked"/.test(s));
    // Find the row that is blocked sending; Enter on each candidate until the task view shows it.
    let taskView = "";
    for (let row = 0; row < 10 && !taskView.includes("waiting on channel capacity"); row++) {
      await tmux.sendKeys("Enter");
      taskView = await tmux.waitForScreen((s) => s.includes("Waiting on") || s.includes("Wakers"), { description: "a task view" });
      if (!taskView.includes("waiting on channel capacity")) await tmux.sendKeys("Escape", "j");
    }
    expect(taskView).toContain("prototype_channel");
    expect(taskView).toContain("waiting on channel capacity");
    expect(taskView).toMatch(/Blocked at \S+:\d+/);
    expect(taskView).toContain("send(");

    await tmux.sendKeys("?");
    const help = await tmux.waitForScreen((s) => s.includes("Help: Task view"));
    expect(help).toContain("tasks that can free");
    await tmux.sendKeys("Escape");
    await tmux.waitForScreen((s) => !s.includes("Help:"));

    await tmux.sendKeys("Enter");
    const freers = await tmux.waitForScreen((s) => s.includes("Tasks that can free prototype_channel"), { description: "the channel's freers" });
    expect(freers).toMatch(/receiver/);
    await tmux.sendKeys("Enter");
    await tmux.waitForScreen((s) => /Task \d+/.test(s) && s.includes("spawned at"), { description: "the reader's task view" });

    await tmux.waitForScreen((s) => s.includes("deadlock cycle was detected. hit P for more info."), { description: "the deadlock warning" });
    await tmux.sendKeys("P");
    await tmux.waitForScreen((s) => s.includes("deadlock cycle:") && s.includes("prototype_channel"), { description: "the problem view" });
    await tmux.sendKeys("D");
    const written = await tmux.waitForScreen((s) => /wrote \S+\.dot/.test(s), { description: "the written .dot path" });
    const path = /wrote (\S+\.dot)/.exec(written)![1]!;
    expect(execFileSync("dot", ["-Tsvg", path], { encoding: "utf8" })).toContain("<svg");
    await tmux.sendKeys("q");
  });
});
