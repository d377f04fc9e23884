/**
 * `consolation replay FILE` on a recording of the Rust deadlock app: under
 * tmux it opens the console on the end state, moves back to the start and
 * steps, plays to the end and walks to the problem; with stdout piped it
 * prints the plain report, at the end or at --until.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONSOLATION_BIN, runCli } from "../cli/run-cli.js";
import { TmuxSession } from "../support/tmux.js";
import { haveDeadlockApp, recordDeadlockApp } from "./deadlock-recording.js";

const DEADLOCK_BANNER = "deadlock cycle was detected";
const TASKS = ["transfer-ledger-then-audit", "audit-audit-then-ledger"];

function frameCounter(screen: string): { frame: number; frames: number } | undefined {
  const match = /frame (\d+)\/(\d+)/.exec(screen);
  return match ? { frame: Number(match[1]), frames: Number(match[2]) } : undefined;
}

describe.skipIf(!haveDeadlockApp)("consolation replay on a recording of the Rust deadlock app", () => {
  let dir: string;
  let file: string;
  let tmux: TmuxSession | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "insight-replay-"));
    file = await recordDeadlockApp(dir);
  });

  afterAll(async () => {
    await tmux?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it("plays the recording in the terminal console: back to the start, step, play to the deadlock", async () => {
    tmux = await TmuxSession.start(process.execPath, [CONSOLATION_BIN, "replay", file, "--out-dir", dir], { width: 130, height: 40 });
    // The task list's name column may shorten a long name with an ellipsis; the problem view below shows it whole.
    const listed = (screen: string, name: string) => screen.includes(name) || screen.includes(`${name.slice(0, 23)}…`);
    const end = await tmux.waitForScreen((s) => s.includes(DEADLOCK_BANNER) && TASKS.every((t) => listed(s, t)), { description: "the deadlocked end state" });
    const total = frameCounter(end);
    expect(total, end).toBeDefined();
    expect(total!.frame).toBe(total!.frames);
    expect(total!.frames).toBeGreaterThan(2);
    expect(end).toMatch(/replay {2}■ 1\.0x {2}\d+\.\ds \/ \d+\.\ds {2}frame/);

    await tmux.sendKeys("0");
    await tmux.waitForScreen((s) => s.includes(`frame 0/${total!.frames}`) && s.includes("no tasks yet"), { description: "the start: nothing received" });
    await tmux.sendKeys(".");
    const first = await tmux.waitForScreen((s) => s.includes(`frame 1/${total!.frames}`) && listed(s, TASKS[0]!), { description: "the first update" });
    // The app springs the deadlock 1.5 s after the first update.
    expect(first).not.toContain(DEADLOCK_BANNER);

    await tmux.sendKeys("?");
    await tmux.waitForScreen((s) => s.includes("Replay keys") && s.includes("[ / ]  back / forward 5 s"), { description: "the replay keys in the help" });
    await tmux.sendKeys("Escape");
    await tmux.waitForScreen((s) => !s.includes("Replay keys"));

    await tmux.sendKeys("}", "}");
    await tmux.waitForScreen((s) => s.includes("4.0x"), { description: "four times the speed" });
    await tmux.sendKeys("Space");
    await tmux.waitForScreen((s) => s.includes(`■ 4.0x`) && s.includes(`frame ${total!.frames}/${total!.frames}`) && s.includes(DEADLOCK_BANNER), {
      description: "playing to the end, and the deadlock",
    });

    await tmux.sendKeys("P");
    const problems = await tmux.waitForScreen((s) => s.includes("Problems (") && s.includes("docs/problems/deadlock-cycle.md"), {
      description: "the problem view",
    });
    for (const t of TASKS) expect(problems).toContain(`"${t}"`);

    await tmux.sendKeys("[");
    await tmux.waitForScreen((s) => (frameCounter(s)?.frame ?? total!.frames) < total!.frames, { description: "5 s back" });
    await tmux.sendKeys("q");
    await tmux.waitForScreen((s) => s.includes("[process exited with status 0]"), { description: "a clean exit" });
  });

  it("prints the plain report when stdout is not a terminal, at the end or at --until", async () => {
    const end = await runCli(["replay", file]);
    expect(end.code, end.stderr).toBe(0);
    expect(end.stdout).toMatch(/^replay: .*deadlock\.jsonl \(insight recording, update (\d+)\/\1\)/);
    expect(end.stdout).toMatch(/Problems \(\d+\)\n {2}\[error\] Tasks \d+ "[^"]+", \d+ "[^"]+" wait on each other[^\n]*\(deadlock-cycle;/);
    for (const t of TASKS) expect(end.stdout).toContain(t);
    expect(end.stdout).toContain("one-off report");

    const early = await runCli(["replay", file, "--until", "0s"]);
    expect(early.code, early.stderr).toBe(0);
    expect(early.stdout).toMatch(/update 1\/\d+\)/);
    expect(early.stdout).toContain(TASKS[0]);
    expect(early.stdout).not.toContain("(deadlock-cycle;");

    const report = await runCli(["replay", file, "--report", "--until", "0s"]);
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).toMatch(/insight recording, 1\/\d+ updates/);
  });
});
