/**
 * `consolation check` says "nothing was checked" (exit 2) instead of passing
 * when it saw nothing worth checking: a file without a usable update, or a
 * live target lost before `--for` was over. A recording that marks a
 * restart is checked process by process. Runs the built binary.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { create } from "@bufbuild/protobuf";
import { nanosToTimestamp, UpdateSchema } from "@async-insight/protocol";
import { headerLine, restartLine, updateLine } from "@async-insight/protocol/recording";
import { startInstrumentServer } from "@async-insight/protocol/server";
import { expectOneLineError, runCli } from "../cli/run-cli.js";
import { healthyProcessUpdate, processStart, stuckProcessUpdate } from "../support/process-fixtures.js";
import { scriptedSource } from "../support/scripted-source.js";
import { waitFor } from "../support/wait-for.js";

const dir = mkdtempSync(join(tmpdir(), "insight-check-evidence-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** A recording of a program that deadlocked, was restarted, and came back healthy. */
function restartedRecording(): string {
  const first = processStart(-60_000);
  const second = processStart(-30_000);
  const ms = (start: bigint, at: number) => start + BigInt(at) * 1_000_000n;
  return (
    headerLine("http://127.0.0.1:6669", "test") +
    [0, 1000, 2000].map((at) => updateLine(stuckProcessUpdate(first, at), ms(first, at))).join("") +
    restartLine(ms(second, 0)) +
    [500, 1500].map((at) => updateLine(healthyProcessUpdate(second, at), ms(second, at))).join("")
  );
}

describe("check refuses to pass what it did not see", () => {
  it("exits 2 on a recording with no update in it", async () => {
    const file = writeFile("header-only.jsonl", headerLine("http://127.0.0.1:6669", "test"));
    const result = await runCli(["check", file]);
    expect(result.code).toBe(2);
    expect(expectOneLineError(result)).toBe(`consolation: ${file}: no usable update in 1 line; nothing was checked`);
    expect(result.stdout).toBe("");
  });

  it("exits 2 on a recording whose updates never list a task", async () => {
    const empty = create(UpdateSchema, { now: nanosToTimestamp(processStart()) });
    const file = writeFile("no-tasks.jsonl", headerLine(undefined, "test") + updateLine(empty, 1n) + updateLine(empty, 2n));
    const result = await runCli(["check", file, "--json"]);
    expect(result.code).toBe(2);
    expect(expectOneLineError(result)).toBe(`consolation: ${file}: none of its 2 updates lists a task; nothing was checked`);
    expect(result.stdout).toBe("");
  });

  it("exits 2 with one line when the live target is lost before --for is over", async () => {
    const start = processStart(-10_000);
    const source = scriptedSource({ updates: [stuckProcessUpdate(start, 9000), stuckProcessUpdate(start, 10_000)] });
    const server = await startInstrumentServer(source, { host: "127.0.0.1", port: 0 });
    const port = server.address.port;
    const checking = runCli(["check", `http://127.0.0.1:${port}`, "--for", "60s"]);
    await waitFor(() => source.updateWatches >= 1, { description: "check connected" });
    await server.close();
    const result = await checking;
    expect(result.code).toBe(2);
    expect(expectOneLineError(result)).toMatch(new RegExp(`^consolation: lost http://127\\.0\\.0\\.1:${port} before --for 60s was over: .+$`));
    expect(result.stdout).toBe("");
  });
});

describe("check on a recording that marks a restart", () => {
  it("checks each process on its own state: the first one's deadlock fails the check, named as process 1", async () => {
    const file = writeFile("restarted.jsonl", restartedRecording());
    const result = await runCli(["check", file]);
    expect(result.code, result.stdout + result.stderr).toBe(1);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(`checked ${file}: 2 processes (the target restarted), 1 + 1 tasks`);
    expect(lines[1]).toMatch(/^error\[deadlock-cycle\]: process 1: Task 1 "process-jobs" /);
    expect(lines.filter((l) => /^(error|warning|info)\[/.test(l)).every((l) => l.includes("]: process 1: "))).toBe(true);
    expect(lines.at(-1)).toMatch(/^check failed: \d+ denied problems?$/);
  });

  it("says which process each problem belongs to in --json", async () => {
    const file = writeFile("restarted-json.jsonl", restartedRecording());
    const result = await runCli(["check", file, "--json"]);
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({ source: file, ok: false, tasks: 2, processes: 2 });
    expect(json.problems.find((p: { lint: string }) => p.lint === "deadlock-cycle")).toMatchObject({
      process: 1,
      denied: true,
      tasks: ["task 1 process-jobs"],
    });
    expect(json.problems.map((p: { process: number }) => p.process)).toEqual(json.problems.map(() => 1));
  });
});
