/**
 * insight recording itself: the file reads back as an insight recording
 * (header, a full snapshot, deltas) with the app's tasks in it, and a path
 * that cannot be written costs the app nothing but one diagnostic.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, expect, it } from "vitest";
import { fieldName, fieldValue } from "@async-insight/protocol";
import { decodeRecordingLine } from "@async-insight/protocol/recording";
import * as insight from "./index.js";

const dir = mkdtempSync(join(tmpdir(), "insight-recording-"));
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

afterEach(async () => {
  await insight.shutdown();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("writes a full snapshot and then a delta per interval, readable as a recording, without a console attached", async () => {
  const path = join(dir, "app.jsonl");
  insight.init({ listenPort: 0, publishInterval: 20, recordPath: path });
  await insight.spawn("recorded-worker", async () => {
    await pause(60);
  });
  await pause(60);
  await insight.shutdown();

  const lines = readFileSync(path, "utf8").trimEnd().split("\n");
  const [header, ...rest] = lines.map((line, i) => decodeRecordingLine(line, i === 0));
  expect(header).toMatchObject({ header: { format: "insight-recording", version: 1, producer: "insight" } });
  expect(rest.length).toBeGreaterThanOrEqual(3);
  const updates = rest.map((line) => {
    if (!("message" in line) || line.message.kind !== "update") throw new Error(`not an update line: ${JSON.stringify(line)}`);
    return line.message.update;
  });
  const names = updates
    .flatMap((u) => u.taskUpdate?.newTasks ?? [])
    .flatMap((t) => t.fields.filter((f) => fieldName(f) === "task.name").map((f) => fieldValue(f)));
  expect(names).toContain("recorded-worker");
  // The worker ends inside the recording: its stats carry a drop time.
  const worker = updates.flatMap((u) => u.taskUpdate?.newTasks ?? []).find((t) => t.fields.some((f) => fieldValue(f) === "recorded-worker"));
  const finalStats = updates
    .map((u) => u.taskUpdate?.statsUpdate[String(worker!.id!.id)])
    .filter(Boolean)
    .at(-1);
  expect(finalStats?.droppedAt).toBeDefined();
});

it("reports an unwritable path once on the diagnostics channel, and the app carries on", async () => {
  const seen: unknown[] = [];
  const listener = (message: unknown) => seen.push(message);
  subscribe(insight.DIAGNOSTICS_CHANNEL, listener);
  const warnings: string[] = [];
  const onWarning = (w: Error & { code?: string }) => warnings.push(w.code ?? "");
  process.on("warning", onWarning);
  try {
    insight.init({ listenPort: 0, publishInterval: 20, recordPath: join(dir, "no-such-dir", "app.jsonl") });
    expect(await insight.spawn("still-works", async () => 42)).toBe(42);
    await pause(80);
  } finally {
    unsubscribe(insight.DIAGNOSTICS_CHANNEL, listener);
    process.off("warning", onWarning);
  }
  expect(seen).toEqual([{ code: "INSIGHT_RECORD", message: expect.stringContaining("cannot record to") }]);
  expect(warnings.filter((c) => c === "INSIGHT_RECORD")).toHaveLength(1);
});
