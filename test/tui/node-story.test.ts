/**
 * The story, end to end: the real `consolation` binary under tmux watching the
 * story's Node service (examples/node/prototype-channel, instrumented with
 * insight). It walks the whole chain: task list → the blocked writer →
 * `prototype_channel` "waiting on channel capacity" → Enter → the tasks that
 * used the channel → `?` help → Esc → P → D, and Graphviz must accept the
 * written .dot.
 *
 * The service's own task sends into its own full channel and nobody ever
 * receives. Nothing is claimed until the library's garbage-collection proof
 * (after >= 3 s of idleness, while this console watches) shows that nothing
 * still able to run can wake the task or reach the channel; from then on the
 * deadlock banner is up, and the walk below happens under it.
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

  it("follows the blocked task to the channel, to the task that used it, and on to the deadlock", async () => {
    await tmux.waitForScreen((s) => s.includes("CONNECTED") && /process-jobs\s+task\s+blocked/.test(s), {
      description: "the blocked process-jobs task in the list",
    });
    // The proof comes after >= 3 s of idleness and a forced GC, then holds for two updates.
    await tmux.waitForScreen((s) => s.includes("⚠ deadlock cycle was detected. hit P for more info."), {
      description: "the deadlock banner, once the proof is in",
    });
    // Narrow the list to the blocked task, as the developer would, and open it.
    // Resizing redraws the whole frame at the new size, with nothing left over from the old one.
    await tmux.resize(90, 24);
    const narrow = await tmux.waitForScreen(
      (s) => s.split("\n").filter(Boolean).at(-1)?.startsWith("For help, hit ? key") === true && s.split("\n").length <= 25,
      {
        description: "the list redrawn at 90x24",
      },
    );
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
    // Nobody ever received from it, and the proof says nothing able to run can reach it any more.
    expect(freers).toMatch(/Tasks that can free prototype_channel: none \(Channel \d+\)/);
    expect(freers).toContain("The target proved that no code still able to run can reach it (garbage collection).");
    expect(freers).toContain("No task is known to receive from it. Its waiters can never continue. Tasks that used it:");
    expect(freers).toMatch(/▶ task \d+ process-jobs\s+sole sender \(mpsc channel\)\s+blocked/);
    await tmux.sendKeys("Enter");
    const user = await tmux.waitForScreen((s) => /Task \d+ process-jobs/.test(s) && s.includes("spawned at"), { description: "the channel user's task view" });
    // The only task that ever used the channel is the blocked task itself.
    expect(user).toContain("prototype_channel");

    await tmux.sendKeys("P");
    const problems = await tmux.waitForScreen((s) => s.includes("docs/problems/deadlock-cycle.md") && s.includes("rests on:"), {
      description: "the problem view",
    });
    expect(problems).toMatch(/Task \d+ "process-jobs" waits on itself through prototype_channel and can never make progress/);
    expect(problems).toContain("rests on: proven: nothing still able to run can wake these tasks (garbage-collection proof or lost wakers)");
    await tmux.sendKeys("D");
    const written = await tmux.waitForScreen((s) => /wrote \S+\.dot/.test(s), { description: "the written .dot path" });
    const path = /wrote (\S+\.dot)/.exec(written)![1]!;
    expect(execFileSync("dot", ["-Tsvg", path], { encoding: "utf8" })).toContain("<svg");
    await tmux.sendKeys("q");
  });
});
