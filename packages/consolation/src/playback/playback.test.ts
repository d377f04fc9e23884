import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Update } from "@async-insight/protocol";
import { foldSnapshot } from "../dump/snapshot.js";
import { readTraceText } from "../trace-formats/collect.js";
import { decodeRecordingLine, headerLine, restartLine, updateLine } from "@async-insight/protocol/recording";
import { EventsToUpdates } from "./events-to-updates.js";
import { ReplaySource } from "./replay-source.js";

const seed = readFileSync(new URL("../trace-formats/testdata/seed-001-multiline.txt", import.meta.url), "utf8");

function seedUpdates(intervalNs?: bigint): Update[] {
  const updates: Update[] = [];
  const convert = new EventsToUpdates((u) => updates.push(u), intervalNs);
  for (const e of readTraceText(seed).events) convert.event(e);
  convert.flush();
  return updates;
}

describe("events to protocol Updates", () => {
  it("gives the store the seed's tasks with console-style stats", () => {
    const snapshot = foldSnapshot(seedUpdates());
    const receiver = snapshot.tasks.find((t) => t.name === "receiver")!;
    // console-subscriber counts every enter, including the one that drops the task.
    expect(receiver).toMatchObject({ id: 3n, state: "done", polls: 5n });
    expect(snapshot.tasks.map((t) => t.name).sort()).toEqual(["dummy", "receiver", "sender-task"]);
  });

  it("cuts Updates by trace time and sends only what changed", () => {
    const updates = seedUpdates(5_000_000n);
    expect(updates.length).toBeGreaterThan(2);
    expect(updates.flatMap((u) => u.taskUpdate?.newTasks ?? [])).toHaveLength(3);
  });
});

describe("recordings and replay", () => {
  it("round-trips Updates through the recording format and replays with seek", async () => {
    const updates = seedUpdates(5_000_000n);
    const dir = mkdtempSync(join(tmpdir(), "insight-replay-"));
    const file = join(dir, "seed.jsonl");
    writeFileSync(file, headerLine("http://127.0.0.1:6669", "test") + updates.map((u, i) => updateLine(u, 1_000_000_000n * BigInt(i + 1))).join(""));
    expect(decodeRecordingLine(readFileSync(file, "utf8").split("\n")[0]!, true)).toMatchObject({ header: { format: "insight-recording", version: 1 } });

    const source = await ReplaySource.open(file);
    expect(source.format).toBe("insight-recording");
    expect(source.frames).toHaveLength(updates.length);
    const seen: number[] = [];
    let resets = 0;
    source.subscribe({ reset: () => resets++, update: (_u, _f, i) => seen.push(i) });
    source.step();
    source.step();
    source.seek(1_000_000_000n); // back to the first frame: reset, then replay it
    expect(resets).toBe(1);
    expect(seen).toEqual([0, 1, 0]);
    source.seekIndex(source.frames.length);
    expect(source.position).toBe(updates.length);
  });

  it("uses the rest of a recording whose last line was cut by a crash", async () => {
    const updates = seedUpdates();
    const dir = mkdtempSync(join(tmpdir(), "insight-replay-"));
    const file = join(dir, "cut.jsonl");
    const whole = headerLine(undefined, "test") + updateLine(updates[0]!, 1n) + updateLine(updates[0]!, 2n);
    writeFileSync(file, whole.slice(0, whole.length - 20));
    const source = await ReplaySource.open(file);
    expect(source.frames).toHaveLength(1);
    expect(source.problems).toEqual([{ line: 3, message: expect.stringContaining("truncated"), truncated: true }]);
  });

  it("resets the state at a restart mark, so two processes are never merged", async () => {
    const updates = seedUpdates(5_000_000n);
    const dir = mkdtempSync(join(tmpdir(), "insight-replay-"));
    const file = join(dir, "restarted.jsonl");
    // A mark before any update has no earlier process to forget; the one in the middle does.
    writeFileSync(
      file,
      headerLine(undefined, "test") +
        restartLine(1n) +
        updateLine(updates[0]!, 2n) +
        updateLine(updates[1]!, 3n) +
        restartLine(4n) +
        updateLine(updates[0]!, 5n),
    );
    expect(decodeRecordingLine(restartLine(4n).trimEnd(), false)).toEqual({ message: { kind: "restart", atNs: 4n } });
    const source = await ReplaySource.open(file);
    expect(source.frames.restarts).toEqual([2]);
    expect(source.processAt(3)).toBe(2);
    expect(source.processes).toBe(2);
    const seen: string[] = [];
    source.subscribe({ reset: () => seen.push("reset"), update: (_u, f) => seen.push(String(f.atNs)) });
    source.seekIndex(3);
    expect(seen).toEqual(["2", "3", "reset", "5"]);
    // Seeking back into the first process replays it alone.
    seen.length = 0;
    source.seekIndex(2);
    expect(seen).toEqual(["reset", "2", "3"]);
  });
});
