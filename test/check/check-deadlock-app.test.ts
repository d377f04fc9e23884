/**
 * `consolation check` against the Rust deadlock app: live it must exit 1 and
 * name both tasks of the lock-order cycle; on a recording made from the start
 * it must find the same cycle; an app with no deadlock (the wake demo's
 * trace) must pass with exit 0.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, expectOneLineError } from "../cli/run-cli.js";
import { freePort } from "../support/free-port.js";
import { rustBin, rustBinDir, runPeer, startPeer, type Peer } from "../support/rust-peers.js";

const dir = mkdtempSync(join(tmpdir(), "insight-check-"));
let app: Peer | undefined;
let port = 0;

beforeAll(async () => {
  port = await freePort();
  app = startPeer(rustBin("deadlock-app"), [], { TOKIO_CONSOLE_BIND: `127.0.0.1:${port}`, DEADLOCK_DELAY_MS: "1500" });
  await app.waitForPort(port);
});

afterAll(async () => {
  await app?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("check on the Rust deadlock app", () => {
  it("records from the start, then finds the cycle live and in the recording", async () => {
    const recording = join(dir, "deadlock.jsonl");
    const [live, recorded] = await Promise.all([
      runCli(["check", `http://127.0.0.1:${port}`, "--for", "4s"]),
      runCli(["record", `http://127.0.0.1:${port}`, "--for", "4s", "-o", recording]),
    ]);
    expect(live.code, live.stderr).toBe(1);
    expect(live.stdout).toMatch(/error\[deadlock-cycle\]/);
    expect(live.stdout).toContain("transfer-ledger-then-audit");
    expect(live.stdout).toContain("audit-audit-then-ledger");
    expect(live.stdout).toContain("docs/problems/deadlock-cycle.md");
    expect(live.stdout).toMatch(/deadlock-app\/src\/main\.rs:\d+/);

    expect(recorded.code, recorded.stderr).toBe(0);
    const replayed = await runCli(["check", recording, "--json"]);
    expect(replayed.code, replayed.stdout).toBe(1);
    const report = JSON.parse(replayed.stdout) as { ok: boolean; problems: { lint: string; denied: boolean; tasks: string[] }[] };
    expect(report.ok).toBe(false);
    const cycles = report.problems.filter((p) => p.lint === "deadlock-cycle" && p.denied);
    expect(cycles).toHaveLength(1);
    expect(cycles[0]!.tasks.join(" ")).toMatch(/transfer-ledger-then-audit.*audit-audit-then-ledger|audit-audit-then-ledger.*transfer-ledger-then-audit/);
    // oneshot-holder awaits `std::future::pending` and holds no waker: nothing can ever wake it.
    const stuck = report.problems.filter((p) => p.lint === "never-woken" && p.denied);
    expect(stuck.map((p) => p.tasks.join(" "))).toEqual([expect.stringMatching(/oneshot-holder/)]);
    // Allowing the lints turns the failure off, as documented.
    const allowed = await runCli(["check", recording, "--allow", "deadlock-cycle,never-woken"]);
    expect(allowed.code, allowed.stdout).toBe(0);
  });

  it("passes a healthy program's console-subscriber recording", async () => {
    const trace = join(dir, "healthy.jsonl");
    await runPeer(join(rustBinDir, "wake-demo"), ["console", trace]);
    const ok = await runCli(["check", trace]);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/check passed/);
  });

  it("fails with one line when there is nothing to check", async () => {
    const result = await runCli(["check", "http://127.0.0.1:9", "--for", "1s"]);
    expect(result.code).toBe(2);
    expectOneLineError(result);
    const unknown = await runCli(["check", "--deny", "frobnicate", trace()]);
    expect(unknown.code).toBe(2);
    expectOneLineError(unknown);
    expect(unknown.stderr).toContain("known lints: self-wakes");
  });
});

function trace(): string {
  return join(dir, "healthy.jsonl");
}
