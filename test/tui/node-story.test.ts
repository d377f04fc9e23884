/**
 * The story, end to end: the real `consolation` binary under tmux watching the
 * story's Node service (examples/node/prototype-channel, instrumented with
 * insight). It walks the whole chain: task list → the blocked writer →
 * `prototype_channel` "waiting on channel capacity" → Enter → the reader →
 * `?` help → Esc → the deadlock warning → P → D, and Graphviz must accept the
 * written .dot.
 *
 * The service's own task waits on its own channel, so its "sole receiver" is
 * itself and the cycle has one task: the shape the story describes.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../support/free-port.js";
import { startPeer, type Peer } from "../support/rust-peers.js";
import { TmuxSession } from "../support/tmux.js";

const repoRoot = new URL("../../", import.meta.url).pathname;
const consolation = join(repoRoot, "packages/consolation/bin/consolation.js");
const server = join(repoRoot, "examples/node/prototype-channel/server.mjs");

describe("consolation walking the story against the Node prototype-channel service", () => {
  let service: Peer;
  let tmux: TmuxSession;
  let outDir: string;

  beforeAll(async () => {
    const consolePort = await freePort();
    service = startPeer(process.execPath, [server], { PORT: "0", INSIGHT_BIND: `127.0.0.1:${consolePort}`, INSIGHT_PORT: "", TOKIO_CONSOLE_BIND: "" });
    const [, httpPort] = await service.waitForOutput(/http listening on port (\d+)/);
    await service.waitForPort(consolePort);
    // The endpoint never answers: that is the bug. Fire the requests and leave them hanging.
    http.get(`http://127.0.0.1:${httpPort}/process`).on("error", () => {});
    outDir = mkdtempSync(join(tmpdir(), "consolation-story-"));
    tmux = await TmuxSession.start(process.execPath, [consolation, "--port", String(consolePort), "--out-dir", outDir], { width: 120, height: 40 });
  });

  afterAll(async () => {
    await tmux?.kill();
    await service?.stop();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it("follows the blocked task to the channel, to its reader, and on to the deadlock", async () => {
    await tmux.waitForScreen((s) => s.includes("CONNECTED") && /process-jobs\s+task\s+blocked/.test(s), { description: "the blocked process-jobs task in the list" });
    // Narrow the list to the blocked task, as the developer would, and open it.
    // Resizing redraws the whole frame at the new size, with nothing left over from the old one.
    await tmux.resize(90, 24);
    const narrow = await tmux.waitForScreen((s) => s.split("\n").filter(Boolean).at(-1)?.startsWith("For help, hit ? key") === true && s.split("\n").length <= 25, {
      description: "the list redrawn at 90x24",
    });
    expect(narrow.split("\n").every((line) => line.length <= 90)).toBe(true);
    expect(narrow).toContain("process-jobs");
    await tmux.resize(120, 40);
    await tmux.waitForScreen((s) => s.split("\n").some((line) => line.length > 90), { description: "the list redrawn at 120x40" });
    await tmux.sendKeys("/", "process-jobs", "Enter");
    await tmux.waitForScreen((s) => /filter: "process-jobs"/.test(s) && s.includes("(1 shown)"), { description: "the filtered list" });
    await tmux.sendKeys("Enter");
    const taskView = await tmux.waitForScreen((s) => /Task \d+ process-jobs/.test(s) && s.includes("Waiting on") && s.includes("send("), {
      description: "the blocked task's view with its await line",
    });
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
    const reader = await tmux.waitForScreen((s) => /Task \d+/.test(s) && s.includes("spawned at"), { description: "the reader's task view" });
    // The sole receiver is the blocked task itself.
    expect(reader).toContain("process-jobs");

    await tmux.waitForScreen((s) => /deadlock cycles? (was|were) detected\. hit P for more info\./.test(s), { description: "the deadlock warning" });
    await tmux.sendKeys("P");
    await tmux.waitForScreen((s) => s.includes("deadlock-cycle") && s.includes("prototype_channel"), { description: "the problem view" });
    await tmux.sendKeys("D");
    const written = await tmux.waitForScreen((s) => /wrote \S+\.dot/.test(s), { description: "the written .dot path" });
    const path = /wrote (\S+\.dot)/.exec(written)![1]!;
    expect(execFileSync("dot", ["-Tsvg", path], { encoding: "utf8" })).toContain("<svg");
    await tmux.sendKeys("q");
  });
});
