/**
 * `consolation record` across a target restart: the recording marks where
 * the new process starts, and `replay` and `check` treat the two parts as
 * separate processes. Runs the built binary against two real servers on
 * one port, one after the other.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startInstrumentServer, type RunningInstrumentServer } from "@async-insight/protocol/server";
import { CONSOLATION_BIN, runCli } from "../cli/run-cli.js";
import { healthyProcessUpdate, processStart, stuckProcessUpdate } from "../support/process-fixtures.js";
import { scriptedSource } from "../support/scripted-source.js";
import { waitFor } from "../support/wait-for.js";

const dir = mkdtempSync(join(tmpdir(), "insight-record-restart-"));
const servers: RunningInstrumentServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

describe("recording a target that restarts", () => {
  it("marks the restart, and replay and check keep the two processes apart", async () => {
    const first = processStart(-20_000);
    const oldSource = scriptedSource({ updates: [stuckProcessUpdate(first, 1000), stuckProcessUpdate(first, 2000), stuckProcessUpdate(first, 3000)] });
    const old = await startInstrumentServer(oldSource, { host: "127.0.0.1", port: 0 });
    const port = old.address.port;
    const file = join(dir, "restart.jsonl");
    const recorder = spawn(process.execPath, [CONSOLATION_BIN, "record", `http://127.0.0.1:${port}`, "-o", file], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    recorder.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => recorder.on("exit", (code) => resolve(code)));

    await waitFor(() => oldSource.updateWatches >= 1, { description: "the recorder connected" });
    await waitFor(
      () =>
        readFileSync(file, "utf8")
          .split("\n")
          .filter((l) => l.includes('"update"')).length >= 3,
      { description: "the first process recorded" },
    );
    await old.close();
    const second = processStart(-1_000);
    const newSource = scriptedSource({ updates: [healthyProcessUpdate(second, 500), healthyProcessUpdate(second, 900)] });
    servers.push(await startInstrumentServer(newSource, { host: "127.0.0.1", port }));
    await waitFor(
      () =>
        readFileSync(file, "utf8")
          .split("\n")
          .filter((l) => l.includes('"update"')).length >= 5,
      { description: "the second process recorded" },
    );
    recorder.kill("SIGINT");
    expect(await exited).toBe(0);
    // Five updates and one WatchState message per connection.
    expect(stderr).toBe(`recorded 7 messages from http://127.0.0.1:${port} to ${file} (the target restarted once; each restart is marked)\n`);

    const kinds = readFileSync(file, "utf8")
      .trimEnd()
      .split("\n")
      .slice(1)
      .map((line) => Object.keys(JSON.parse(line)).find((k) => k !== "t"))
      .filter((kind) => kind !== "state");
    expect(kinds).toEqual(["update", "update", "update", "restart", "update", "update"]);

    const report = await runCli(["replay", file, "--report"]);
    expect(report.code).toBe(0);
    const lines = report.stdout.split("\n");
    expect(lines[0]).toBe(`target: ${file} (insight recording, 5/5 updates, process 2 of 2)`);
    expect(lines.filter((l) => /^\s+1\s/.test(l))).toEqual([" 1  idle   fresh  task  900ms   0ns    0ns      1  -"]);
    expect(report.stdout).toContain("Resources (0)");

    const check = await runCli(["check", file, "--json"]);
    expect(check.code).toBe(1);
    const json = JSON.parse(check.stdout);
    expect(json).toMatchObject({ processes: 2, tasks: 2 });
    expect(
      json.problems.filter((p: { lint: string }) => p.lint === "deadlock-cycle").map((p: { process: number; tasks: string[] }) => [p.process, p.tasks]),
    ).toEqual([[1, ["task 1 process-jobs"]]]);
  });
});
