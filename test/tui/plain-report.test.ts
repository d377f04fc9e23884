/**
 * The plain report (`consolation --plain`, or stdout not a terminal) counts
 * a snapshot split across several messages once: a big target's first
 * snapshot no longer uses up `--report-updates` on its own and reports
 * "none found" before a deadlock could be confirmed. Runs the built binary.
 */
import { afterAll, describe, expect, it } from "vitest";
import { create } from "@bufbuild/protobuf";
import { nanosToTimestamp, UpdateSchema, type Update } from "@async-insight/protocol";
import { startInstrumentServer, type RunningInstrumentServer } from "@async-insight/protocol/server";
import { runCli } from "../cli/run-cli.js";
import { processStart, stuckProcessUpdate } from "../support/process-fixtures.js";
import { scriptedSource } from "../support/scripted-source.js";

const servers: RunningInstrumentServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

const str = (name: string, value: string) => ({ name: { case: "strName" as const, value: name }, value: { case: "strVal" as const, value } });
const u64 = (name: string, value: bigint) => ({ name: { case: "strName" as const, value: name }, value: { case: "u64Val" as const, value } });

/** A piece of a split snapshot: idle workers with span ids from `first`, all at the snapshot's instant. */
function workersPiece(start: bigint, first: bigint, count: number, nowMs: number): Update {
  const at = (ms: number) => nanosToTimestamp(start + BigInt(ms) * 1_000_000n);
  const spans = Array.from({ length: count }, (_, i) => first + BigInt(i));
  return create(UpdateSchema, {
    now: at(nowMs),
    taskUpdate: {
      newTasks: spans.map((span) => ({ id: { id: span }, fields: [str("task.name", `worker-${span}`), u64("task.id", span)] })),
      statsUpdate: Object.fromEntries(
        spans.map((span) => [span.toString(), { createdAt: at(0), wakerClones: 1n, pollStats: { polls: 1n, lastPollStarted: at(1), lastPollEnded: at(2) } }]),
      ),
    },
  });
}

describe("the plain report on a target whose snapshot arrives in pieces", () => {
  it("counts the pieces of one snapshot once and reports the deadlock confirmed by the next updates", async () => {
    const start = processStart(-10_000);
    // The first snapshot in three messages sharing one `now`; the stuck task comes last, as in a big target.
    const updates = [
      workersPiece(start, 2n, 3, 1000),
      workersPiece(start, 5n, 3, 1000),
      stuckProcessUpdate(start, 1000),
      stuckProcessUpdate(start, 2000),
      stuckProcessUpdate(start, 3000),
    ];
    const server = await startInstrumentServer(scriptedSource({ updates }), { host: "127.0.0.1", port: 0 });
    servers.push(server);
    const result = await runCli(["--plain", "--port", String(server.address.port)]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines).toContain("Tasks (7 live)");
    expect(lines.filter((l) => /^\s+\d+\s/.test(l)).map((l) => l.trim().split(/\s+/).slice(0, 4).join(" "))).toEqual([
      "1 process-jobs task blocked",
      "2 worker-2 task idle",
      "3 worker-3 task idle",
      "4 worker-4 task idle",
      "5 worker-5 task idle",
      "6 worker-6 task idle",
      "7 worker-7 task idle",
    ]);
    expect(result.stdout).not.toContain("Problems: none found");
    expect(lines.some((l) => /^ {2}\[error\] .*\(deadlock-cycle; see docs\/problems\/deadlock-cycle\.md\)$/.test(l))).toBe(true);
  });
});
