/**
 * Several processes of one app, each with insight: a cluster (a primary and
 * two forked workers) and worker_threads (a main thread and two threads),
 * every one calling init() with the same options. None may crash or print on
 * the port they would all share; each is found through the discovery
 * directory (docs/processes.md) and its tasks are labelled with its process
 * in `dump`, and `check` names the process a deadlock is in.
 *
 * Runs the built binary and the built library: `npx tsc -b` first.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { expectOneLineError, runCli } from "../cli/run-cli.js";
import { freePort } from "../support/free-port.js";
import { startPeer, type Peer } from "../support/rust-peers.js";
import { TmuxSession } from "../support/tmux.js";
import { CONSOLATION_BIN } from "../cli/run-cli.js";

const apps = new URL("./apps/", import.meta.url).pathname;
const root = mkdtempSync(join(tmpdir(), "insight-processes-"));
let running: Peer | undefined;

afterEach(async () => {
  await running?.stop();
  running = undefined;
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface DumpTarget {
  process: string;
  target: string;
  pid: number;
  threadId: number;
  kind: string;
  clusterWorkerId?: number;
  script: string;
}

interface DumpJson {
  targets: DumpTarget[];
  skipped: unknown[];
  tasks: { process: string; id: string; name: string; state: string }[];
}

/** Starts an app with a discovery directory of its own; `extra` tells it the port every process or thread is configured with. */
async function startApp(script: string, extra: (port: number) => NodeJS.ProcessEnv): Promise<{ app: Peer; discovery: string; port: number; ready: string[] }> {
  const discovery = mkdtempSync(join(root, "discovery-"));
  const port = await freePort();
  const app = startPeer(process.execPath, [join(apps, script)], {
    INSIGHT_DISCOVERY_DIR: discovery,
    INSIGHT_PORT: "",
    INSIGHT_BIND: "",
    TOKIO_CONSOLE_BIND: "",
    NODE_DEBUG: "",
    ...extra(port),
  });
  running = app;
  const [line] = await app.waitForOutput(/^ready .*$/m);
  return { app, discovery, port, ready: line!.split(" ").slice(1) };
}

async function dumpJson(args: string[]): Promise<DumpJson> {
  const result = await runCli(["dump", ...args, "--json"]);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as DumpJson;
}

const byProcess = (dump: DumpJson) =>
  Object.fromEntries(
    dump.targets.map((t) => [
      t.process,
      dump.tasks
        .filter((task) => task.process === t.process)
        .map((task) => task.name)
        .sort(),
    ]),
  );

describe("a cluster with insight in every process", () => {
  it("gives each worker its own port when INSIGHT_PORT names one for all, lists every process with --discover, and names the worker a deadlock is in", async () => {
    const { app, discovery, port, ready } = await startApp("cluster-app.mjs", (port) => ({ INSIGHT_PORT: String(port), DEADLOCK_WORKER: "2" }));
    const [primary, ...workers] = ready.map(Number);
    const dump = await dumpJson(["--discover", "--discovery-dir", discovery]);
    expect(dump.skipped).toEqual([]);
    const targets = [...dump.targets].sort((a, b) => a.pid - b.pid);
    expect(targets.map((t) => [t.process, t.pid, t.threadId, t.kind, t.script])).toEqual([
      [String(primary), primary, 0, "process", "cluster-app.mjs"],
      [String(workers[0]), workers[0], 0, "cluster-worker", "cluster-app.mjs"],
      [String(workers[1]), workers[1], 0, "cluster-worker", "cluster-app.mjs"],
    ]);
    // The primary keeps the configured port; each worker has one of its own.
    expect(targets[0]!.target).toBe(`http://127.0.0.1:${port}`);
    expect(new Set(targets.map((t) => t.target)).size).toBe(3);
    const stuck = targets.find((t) => t.clusterWorkerId === 2)!;
    const other = targets.find((t) => t.clusterWorkerId === 1)!;
    expect(byProcess(dump)).toEqual({
      [String(primary)]: ["cluster-app.mjs"],
      [other.process]: ["cluster-app.mjs", "job-1"],
      [stuck.process]: ["cluster-app.mjs", "credit", "debit", "job-2"],
    });

    const check = await runCli(["check", "--discover", "--discovery-dir", discovery, "--for", "3s", "--json"]);
    expect(check.code, check.stdout + check.stderr).toBe(1);
    const report = JSON.parse(check.stdout) as { processes: number; problems: { lint: string; severity: string; processLabel: string; tasks: string[] }[] };
    expect(report.processes).toBe(3);
    const errors = report.problems.filter((p) => p.severity === "error");
    expect(errors.map((p) => [p.lint, p.processLabel, p.tasks])).toEqual([["deadlock-cycle", stuck.process, ["task 3 debit", "task 4 credit"]]]);

    const text = await runCli(["check", "--port", String(port), "--port", stuck.target.split(":").pop()!, "--discovery-dir", discovery, "--for", "3s"]);
    expect(text.code, text.stdout + text.stderr).toBe(1);
    expect(text.stdout.split("\n")[0]).toBe(`checked 2 targets: 2 processes (${primary}, ${stuck.process}), 1 + 4 tasks`);
    expect(text.stdout).toContain(`error[deadlock-cycle]: process ${stuck.process}: Tasks 3 "debit", 4 "credit" wait on each other`);

    await app.stop();
    expect(app.stderr).toBe("");
    // What the processes leave behind (a worker killed with its primary may keep its file) lists nothing.
    const after = await runCli(["dump", "--discover", "--discovery-dir", discovery]);
    expect(after.code).toBe(1);
    expect(expectOneLineError(after)).toBe("consolation: no target: the discovery directory lists no live process with insight (docs/processes.md)");
  });
});

describe("worker_threads with insight in every thread", () => {
  it("gives each thread its own console when init() names one port for all, lists every thread with --discover, and reads several named targets", async () => {
    const { app, discovery, port, ready } = await startApp("threads-app.mjs", (port) => ({ APP_LISTEN_PORT: String(port) }));
    const pid = Number(ready[0]);
    const dump = await dumpJson(["--discover", "--discovery-dir", discovery]);
    const targets = [...dump.targets].sort((a, b) => a.threadId - b.threadId);
    const [a, b] = [targets[1]!.threadId, targets[2]!.threadId];
    expect(targets.map((t) => [t.process, t.pid, t.kind])).toEqual([
      [String(pid), pid, "process"],
      [`${pid}/t${a}`, pid, "worker-thread"],
      [`${pid}/t${b}`, pid, "worker-thread"],
    ]);
    expect(targets[0]!.target).toBe(`http://127.0.0.1:${port}`);
    expect(byProcess(dump)).toEqual({
      [String(pid)]: ["threads-app.mjs"],
      [`${pid}/t${a}`]: [`thread ${a}`, `thread-job-${a}`],
      [`${pid}/t${b}`]: [`thread ${b}`, `thread-job-${b}`],
    });

    // Named targets are labelled by the process the discovery directory says listens there.
    const named = await dumpJson([`127.0.0.1:${port},${targets[1]!.target}`, "--discovery-dir", discovery]);
    expect(named.targets.map((t) => t.process)).toEqual([String(pid), `${pid}/t${a}`]);
    expect(named.tasks.map((t) => `${t.process} ${t.id} ${t.name}`)).toEqual([
      `${pid} 1 threads-app.mjs`,
      `${pid}/t${a} 1 thread ${a}`,
      `${pid}/t${a} 2 thread-job-${a}`,
    ]);

    const text = await runCli(["dump", "--discover", "--discovery-dir", discovery]);
    expect(text.code, text.stderr).toBe(0);
    const lines = text.stdout.split("\n");
    expect(lines.slice(0, 4)).toEqual([
      "targets: 3 processes",
      `  ${pid}  http://127.0.0.1:${port}  process  threads-app.mjs`,
      `  ${pid}/t${a}  ${targets[1]!.target}  worker thread ${a}  threads-app.mjs`,
      `  ${pid}/t${b}  ${targets[2]!.target}  worker thread ${b}  threads-app.mjs`,
    ]);
    expect(lines.find((l) => l.startsWith("PROC "))).toMatch(/^PROC +ID +STATE +NAME/);

    await app.stop();
    expect(app.stderr).toBe("");
  });
});

describe("a worker thread's own runtime", () => {
  it("proves a task of the thread stuck by garbage collection, and check names the thread", async () => {
    const { app, discovery, ready } = await startApp("thread-stuck-app.mjs", (port) => ({ INSIGHT_PORT: String(port) }));
    const pid = ready[0]!;
    // The proof comes once the task has been idle for 3 s while a console watches (docs/model.md), then two updates confirm it.
    const check = await runCli(["check", "--discover", "--discovery-dir", discovery, "--for", "8s", "--json"]);
    expect(check.code, check.stdout + check.stderr).toBe(1);
    const report = JSON.parse(check.stdout) as { problems: { lint: string; severity: string; processLabel: string; tasks: string[] }[] };
    const errors = report.problems.filter((p) => p.severity === "error");
    expect(errors.map((p) => [p.lint, p.processLabel, p.tasks])).toEqual([["deadlock-cycle", `${pid}/t1`, ["task 2 thread-jobs"]]]);
    await app.stop();
    expect(app.stderr).toBe("");
  });
});

describe("the terminal console with --discover", () => {
  let tmux: TmuxSession | undefined;
  afterEach(async () => {
    await tmux?.kill();
    tmux = undefined;
  });

  it("lists every thread's tasks under its process, and names the process in the task view", async () => {
    const { app, discovery, ready } = await startApp("threads-app.mjs", (port) => ({ APP_LISTEN_PORT: String(port) }));
    const pid = ready[0]!;
    tmux = await TmuxSession.start(process.execPath, [CONSOLATION_BIN, "--discover", "--discovery-dir", discovery], { width: 140, height: 20 });
    const list = await tmux.waitForScreen((s) => s.includes("3 processes (CONNECTED)") && (s.match(/thread-job-\d+/g) ?? []).length === 2, {
      description: "both threads' jobs in the list",
    });
    const lines = list.split("\n");
    expect(lines.find((l) => l.includes(" ID Name"))).toMatch(/^Proc +ID Name +Kind +State/);
    const jobRows = lines.filter((l) => / thread-job-\d+ /.test(l));
    for (const row of jobRows) {
      const [, thread] = /thread-job-(\d+)/.exec(row)!;
      expect(row.startsWith(`${pid}/t${thread} `)).toBe(true);
    }
    expect(lines.some((l) => l.startsWith(`${pid} `) && l.includes("threads-app.mjs"))).toBe(true);
    await tmux.sendKeys("/", "thread-job", "Enter", "Enter");
    const view = await tmux.waitForScreen((s) => /Task 2 thread-job-\d+/.test(s), { description: "a thread's job in the task view" });
    const [, thread] = /Task 2 thread-job-(\d+)/.exec(view)!;
    expect(view).toMatch(new RegExp(`Task 2 thread-job-${thread} +blocked +kind task +process ${pid}/t${thread}`));
    await app.stop();
    expect(app.stderr).toBe("");
  });
});
