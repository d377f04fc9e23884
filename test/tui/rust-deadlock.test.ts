/**
 * The real `consolation` binary, under tmux, watching the Rust mutex-deadlock
 * app through console-subscriber. The console attaches first (poll ops are
 * only recorded while a console watches), then SIGUSR1 starts the deadlock;
 * the warning must appear, the chain must lead from a blocked task to the
 * lock's holder, and the problem view's D must write a .dot Graphviz accepts.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../support/free-port.js";
import { rustBin, startPeer, type Peer } from "../support/rust-peers.js";
import { TmuxSession } from "../support/tmux.js";

const repoRoot = new URL("../../", import.meta.url).pathname;
const consolation = join(repoRoot, "packages/consolation/bin/consolation.js");

describe("consolation against the Rust mutex-deadlock app", () => {
  let app: Peer;
  let tmux: TmuxSession;
  let outDir: string;

  beforeAll(async () => {
    const port = await freePort();
    // A long delay: the test pulls the trigger itself once the console is attached.
    app = startPeer(rustBin("deadlock-app"), [], { TOKIO_CONSOLE_BIND: `127.0.0.1:${port}`, DEADLOCK_DELAY_MS: "600000" });
    await app.waitForPort(port);
    outDir = mkdtempSync(join(tmpdir(), "consolation-dot-"));
    tmux = await TmuxSession.start(process.execPath, [consolation, "--port", String(port), "--out-dir", outDir], { width: 120, height: 40 });
  });

  afterAll(async () => {
    await tmux?.kill();
    await app?.stop();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it("walks from the task list to the deadlock's problem view and writes a .dot", async () => {
    const first = await tmux.waitForScreen((s) => s.includes("CONNECTED") && s.includes("transfer-ledger"), { description: "the task list" });
    expect(first).toMatch(/For help, hit \? key/);
    // One more update after attaching, so the subscriber is surely recording poll ops when the deadlock starts.
    await tmux.waitForScreen((s) => s !== first, { description: "a second update" });
    app.signal("SIGUSR1");
    await tmux.waitForScreen((s) => /deadlock cycles? (was|were) detected\. hit P for more info\./.test(s), { description: "the deadlock warning" });

    // The chain: filter to a deadlocked task, open it, follow its lock to the holder.
    await tmux.sendKeys("/", "transfer", "Enter");
    await tmux.waitForScreen((s) => /filter: "transfer" \(1 shown\)/.test(s));
    await tmux.sendKeys("Enter");
    const taskView = await tmux.waitForScreen((s) => s.includes("Task ") && s.includes("waiting for lock held by task"), { description: "the task view" });
    expect(taskView).toContain("transfer-ledger-then-audit");
    await tmux.sendKeys("Enter");
    const freers = await tmux.waitForScreen((s) => s.includes("Tasks that can free"), { description: "the tasks that can free the lock" });
    expect(freers).toMatch(/audit-audit-then-ledger\s+lock holder/);

    await tmux.sendKeys("?");
    await tmux.waitForScreen((s) => s.includes("Help: Tasks that can free a resource"));
    await tmux.sendKeys("Escape");
    await tmux.waitForScreen((s) => !s.includes("Help:"));

    await tmux.sendKeys("P");
    const problems = await tmux.waitForScreen((s) => s.includes("Problems (") && s.includes("docs/problems/deadlock-cycle.md"), {
      description: "the problem view",
    });
    expect(problems).toContain('"transfer-ledger-then-audit"');
    expect(problems).toContain('"audit-audit-then-ledger"');
    expect(problems).toContain("docs/problems/deadlock-cycle.md");

    await tmux.sendKeys("D");
    const written = await tmux.waitForScreen((s) => /wrote \S+\.dot/.test(s), { description: "the written .dot path" });
    const path = /wrote (\S+\.dot)/.exec(written)![1]!;
    expect(readFileSync(path, "utf8")).toContain("transfer-ledger-then-audit");
    const svg = execFileSync("dot", ["-Tsvg", path], { encoding: "utf8" });
    expect(svg).toContain("<svg");

    await tmux.sendKeys("q");
    await tmux.waitForScreen((s) => s.includes("[process exited with status 0]"), { description: "a clean exit" });
  });
});
