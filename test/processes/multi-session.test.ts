/**
 * The terminal console's session over several targets, on real connections:
 * each target in its own store (the stuck process's deadlock is its own and
 * names it), with --discover a target that announces itself joins, and one
 * whose entry goes away leaves.
 */
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { Update } from "@async-insight/protocol";
import { startInstrumentServer, type RunningInstrumentServer } from "@async-insight/protocol/server";
import { MultiTargetSession } from "../../packages/consolation/src/tui/conn/multi-session.js";
import { resolveTargets } from "../../packages/consolation/src/targets/target-set.js";
import type { ConnectionInfo } from "../../packages/consolation/src/tui/view/render-input.js";
import { healthyProcessUpdate, processStart, stuckProcessUpdate } from "../support/process-fixtures.js";
import { scriptedSource } from "../support/scripted-source.js";

const dir = mkdtempSync(join(tmpdir(), "consolation-session-"));
const servers: RunningInstrumentServer[] = [];
let session: MultiTargetSession | undefined;

afterEach(async () => {
  session?.feed.stop();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function serve(updates: readonly Update[]): Promise<number> {
  const server = await startInstrumentServer(scriptedSource({ updates }), { host: "127.0.0.1", port: 0 });
  servers.push(server);
  return server.address.port;
}

/** An entry as insight writes it; this test's own pid stands in for a live process. */
function announce(name: string, threadId: number, port: number): string {
  const file = join(dir, name);
  const kind = threadId === 0 ? "process" : "worker-thread";
  writeFileSync(
    file,
    JSON.stringify({
      format: "insight-discovery/1",
      pid: process.pid,
      ppid: process.ppid,
      threadId,
      kind,
      host: "127.0.0.1",
      port,
      startedAt: 1,
      script: "app.mjs",
      token: false,
    }),
  );
  return file;
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400 && !condition(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!condition()) throw new Error(`never happened: ${what}`);
}

function start(s: MultiTargetSession) {
  let connection: ConnectionInfo = s.feed.initialConnection;
  s.feed.start({
    update: () => {},
    reset: () => {},
    taskCreatedAt: () => undefined,
    connection: (change) => (connection = change(connection)),
    changed: () => {},
    notice: () => {},
  });
  return () => connection;
}

const rows = (s: MultiTargetSession) =>
  s.source
    .view()
    .tasks()
    .map((t) => `${t.process} ${t.id} ${t.name}`);

describe("the console's session over several targets", () => {
  it("keeps each target in its own store, joins announced targets and drops those whose entry went away", async () => {
    const t0 = processStart();
    const stuck = await serve([stuckProcessUpdate(t0, 0), stuckProcessUpdate(t0, 1000)]);
    const healthy = await serve([healthyProcessUpdate(t0, 0)]);
    announce("a.json", 0, stuck);
    const targets = resolveTargets({ discover: true, discoveryDir: dir });
    expect(targets.map((t) => t.label)).toEqual([String(process.pid)]);
    session = new MultiTargetSession(targets, undefined, { dir, token: undefined, intervalMs: 50 });
    const connection = start(session);
    await until(() => rows(session!).length === 1, "the first target's task");
    expect(rows(session)).toEqual([`${process.pid} 1 process-jobs`]);

    const joined = announce("b.json", 1, healthy);
    await until(() => rows(session!).length === 2, "the announced target joins");
    expect(rows(session)).toEqual([`${process.pid} 1 process-jobs`, `${process.pid}/t1 1 fresh`]);
    await until(() => connection().state.status === "connected" && connection().target === "2 processes", "both connected");
    // Both processes number their task 1; only the stuck one's is in a deadlock, and the problem says where.
    const errors = session.source
      .view()
      .problems()
      .filter((p) => p.severity === "error");
    expect(errors.map((p) => [p.lint, p.summary.split(":")[0], p.tasks.map((t) => t.task.key)])).toEqual([
      ["deadlock-cycle", `process ${process.pid}`, ["p1:1"]],
    ]);
    expect(session.source.view().task("p2:1")?.row.name).toBe("fresh");

    unlinkSync(joined);
    await until(() => rows(session!).length === 1, "the target whose entry went away leaves");
    expect(session.targets.map((t) => t.label)).toEqual([String(process.pid)]);
    expect(connection().target).toBe("1 process");
  });
});
