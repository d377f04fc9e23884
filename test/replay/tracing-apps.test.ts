/**
 * Test vectors made on the spot: interop/tracing-apps' wake-demo (a receiver
 * woken by itself, by sender-task and by a plain thread) runs under each
 * subscriber, and its output goes through the built CLI's readers.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../cli/run-cli.js";
import { rustBinDir, runPeer } from "../support/rust-peers.js";

const wakeDemo = join(rustBinDir, "wake-demo");
const dir = mkdtempSync(join(tmpdir(), "insight-traces-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function produce(mode: "ari" | "fmt" | "json" | "console"): Promise<string> {
  const file = join(dir, `${mode}.trace`);
  if (mode === "console") await runPeer(wakeDemo, ["console", file]);
  else writeFileSync(file, (await runPeer(wakeDemo, [mode])).stdout);
  return file;
}

interface WakeJson {
  wakes: { cause: string; by?: { name: string }; woken?: { name: string }; certain: boolean }[];
  tasks: { task: { name: string }; polls: number; wakerClones: number }[];
  joinable: boolean;
}

async function wakes(file: string): Promise<WakeJson> {
  const result = await runCli(["wakes", file, "--json"]);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as WakeJson;
}

describe("wake-demo under each subscriber", () => {
  it("ari-subscriber: the three wakes of the receiver are classified exactly", async () => {
    const report = await wakes(await produce("ari"));
    const receiverWakes = report.wakes.filter((w) => w.woken?.name === "receiver").map((w) => (w.cause === "task" ? `task:${w.by?.name}` : w.cause));
    expect(receiverWakes.slice(0, 3)).toEqual(["self", "task:sender-task", "outside"]);
    // Dropping the last sender in main wakes the receiver once more if it had parked again first.
    expect(receiverWakes.slice(3).every((w) => w.startsWith("task:"))).toBe(true);
    expect(report.joinable).toBe(true);
    expect(report.tasks.find((t) => t.task.name === "receiver")!.polls).toBeGreaterThanOrEqual(3);
  });

  it("console-subscriber recording: self-wake read, the rest inferred", async () => {
    const report = await wakes(await produce("console"));
    const receiverWakes = report.wakes.filter((w) => w.woken?.name === "receiver");
    expect(receiverWakes[0]).toMatchObject({ cause: "self", certain: true });
    expect(receiverWakes.slice(1).every((w) => w.cause !== "self" && !w.certain)).toBe(true);
    // The channel's close may add a wake, depending on timing.
    expect(receiverWakes.length).toBeGreaterThanOrEqual(3);
  });

  it("fmt and JSON: tasks and polls read, wakes unjoinable and said so", async () => {
    for (const mode of ["fmt", "json"] as const) {
      const file = await produce(mode);
      const report = await wakes(file);
      expect(report.joinable).toBe(false);
      expect(report.tasks.map((t) => t.task.name)).toEqual(expect.arrayContaining(["receiver", "sender-task"]));
      const fromThread = report.wakes.filter((w) => w.cause === "outside");
      expect(fromThread.length).toBeGreaterThanOrEqual(1);
      const text = await runCli(["wakes", file]);
      expect(text.stdout).toMatch(/no span ids/);
    }
  });

  it("trace, timeline and replay read every format without problem lines", async () => {
    for (const mode of ["ari", "fmt", "json", "console"] as const) {
      const file = await produce(mode);
      const trace = await runCli(["trace", file, "--task", "receiver"]);
      expect(trace.code, trace.stderr).toBe(0);
      expect(trace.stdout).not.toMatch(/problem:/);
      expect(trace.stdout).not.toContain("\x1b[");
      const svg = join(dir, `${mode}.svg`);
      const timeline = await runCli(["timeline", file, "-o", svg]);
      expect(timeline.code, timeline.stderr).toBe(0);
      expect(readFileSync(svg, "utf8")).toMatch(/^<svg[\s\S]*receiver[\s\S]*<\/svg>\n$/);
      const replay = await runCli(["replay", file, "--report", "--all"]);
      expect(replay.code, replay.stderr).toBe(0);
      expect(replay.stdout).toContain("receiver");
    }
  });
});
