import cluster from "node:cluster";
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { Worker } from "node:worker_threads";
import { once } from "node:events";
import { discoveryDir } from "@async-insight/protocol";
import { announce, entryFileName, removeEntriesOfEndedThreads } from "./discovery.js";
import { processRole } from "./process-role.js";

const dir = mkdtempSync(join(tmpdir(), "insight-discovery-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the discovery directory", () => {
  it("is INSIGHT_DISCOVERY_DIR when set, else per user under the temp directory", () => {
    expect(discoveryDir({ INSIGHT_DISCOVERY_DIR: "/x/y" })).toBe("/x/y");
    expect(discoveryDir({})).toBe(join(tmpdir(), `insight-${process.getuid!()}`));
  });

  it("names a main thread's file by pid and a worker thread's by pid and thread id", () => {
    expect(entryFileName({ pid: 4242, threadId: 0 })).toBe("4242.json");
    expect(entryFileName({ pid: 4242, threadId: 3 })).toBe("4242-t3.json");
  });

  it("writes one entry per server, without the token, and removes it once", () => {
    const role = processRole();
    expect(role).toEqual({ kind: "process", pid: process.pid, ppid: process.ppid, threadId: 0, clusterWorkerId: undefined });
    const remove = announce(role, { host: "127.0.0.1", port: 7123 }, true, join(dir, "a"));
    const file = join(dir, "a", `${process.pid}.json`);
    const entry = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    expect({ ...entry, startedAt: typeof entry.startedAt }).toEqual({
      format: "insight-discovery/1",
      pid: process.pid,
      ppid: process.ppid,
      threadId: 0,
      kind: "process",
      host: "127.0.0.1",
      port: 7123,
      startedAt: "number",
      script: process.argv[1]!.split("/").pop(),
      token: true,
    });
    expect(readdirSync(join(dir, "a"))).toEqual([`${process.pid}.json`]);
    remove!();
    remove!();
    expect(existsSync(file)).toBe(false);
    expect(process.listeners("exit")).not.toContain(remove);
  });

  it("returns no remover, and throws nothing, when the directory cannot be made", () => {
    const blocker = join(dir, "a-file");
    writeFileSync(blocker, "");
    expect(announce(processRole(), { host: "127.0.0.1", port: 1 }, false, join(blocker, "sub"))).toBeUndefined();
  });

  it("removes the entry of a worker thread ended with terminate(), which cannot remove its own", async () => {
    const d = join(dir, "threads");
    const undo = removeEntriesOfEndedThreads(d);
    try {
      const worker = new Worker("setInterval(() => {}, 1000)", { eval: true });
      await once(worker, "online");
      announce(
        { kind: "worker-thread", pid: process.pid, ppid: process.ppid, threadId: worker.threadId, clusterWorkerId: undefined },
        { host: "127.0.0.1", port: 2 },
        false,
        d,
      );
      const file = join(d, `${process.pid}-t${worker.threadId}.json`);
      expect(existsSync(file)).toBe(true);
      await worker.terminate();
      await new Promise((resolve) => setImmediate(resolve));
      expect(existsSync(file)).toBe(false);
    } finally {
      undo();
    }
    expect(process.listenerCount("worker")).toBe(0);
  });

  it("removes the entry of a cluster worker that ended without running its exit listeners (a signal)", () => {
    const d = join(dir, "cluster");
    mkdirSync(d);
    writeFileSync(join(d, "4194000.json"), "{}");
    const undo = removeEntriesOfEndedThreads(d);
    try {
      cluster.emit("exit", { process: { pid: 4194000 } }, null, "SIGKILL");
    } finally {
      undo();
    }
    expect(readdirSync(d)).toEqual([]);
    expect(cluster.listenerCount("exit")).toBe(0);
  });

  it.runIf(process.getuid?.() === 0)("never writes into a directory another user made first", () => {
    const d = join(dir, "theirs");
    mkdirSync(d);
    chownSync(d, 4321, 4321);
    expect(announce(processRole(), { host: "127.0.0.1", port: 1 }, false, d)).toBeUndefined();
    expect(readdirSync(d)).toEqual([]);
  });

  it("sweeps the entries of processes that died without removing theirs, and nothing else", () => {
    const d = join(dir, "sweep");
    mkdirSync(d);
    const dead = spawnSync(process.execPath, ["-e", ""]).pid!;
    for (const name of [`${dead}.json`, `${dead}-t2.json`, "notes.json", `${process.ppid}.json`]) writeFileSync(join(d, name), "{}");
    const remove = announce(processRole(), { host: "127.0.0.1", port: 3 }, false, d);
    expect(readdirSync(d).sort()).toEqual([`${process.pid}.json`, `${process.ppid}.json`, "notes.json"].sort());
    remove!();
  });
});
