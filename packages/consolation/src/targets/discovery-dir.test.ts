import { spawnSync } from "node:child_process";
import { chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseEntry, pidAlive, readDiscoveryDir, serverLabel, serverRole } from "./discovery-dir.js";

const dir = mkdtempSync(join(tmpdir(), "consolation-discovery-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const entry = (over: Record<string, unknown>) =>
  JSON.stringify({
    format: "insight-discovery/1",
    pid: process.pid,
    ppid: process.ppid,
    threadId: 0,
    kind: "process",
    host: "127.0.0.1",
    port: 7001,
    startedAt: 100,
    script: "app.mjs",
    token: false,
    ...over,
  });

/** A pid that existed and has exited: what a killed process leaves in its file. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", ""]);
  return child.pid!;
}

describe("reading the discovery directory", () => {
  it("lists live servers oldest first and skips dead pids, malformed files and other files", () => {
    const d = join(dir, "mixed");
    mkdirSync(d);
    writeFileSync(join(d, "a.json"), entry({ threadId: 2, kind: "worker-thread", port: 7003, startedAt: 300 }));
    writeFileSync(join(d, "b.json"), entry({ startedAt: 100 }));
    writeFileSync(join(d, "c.json"), entry({ kind: "cluster-worker", clusterWorkerId: 1, port: 7002, startedAt: 200 }));
    writeFileSync(join(d, "dead.json"), entry({ pid: deadPid(), port: 7009 }));
    writeFileSync(join(d, "bad.json"), "{ not json");
    writeFileSync(join(d, "notes.txt"), entry({ port: 7010 }));
    const found = readDiscoveryDir(d);
    expect(found.map((s) => [serverLabel(s), serverRole(s), s.port])).toEqual([
      [String(process.pid), "process", 7001],
      [String(process.pid), "cluster worker 1", 7002],
      [`${process.pid}/t2`, "worker thread 2", 7003],
    ]);
  });

  it("puts a primary before the workers it forked, whatever their start times", () => {
    const d = join(dir, "family");
    mkdirSync(d);
    const parent = process.ppid;
    writeFileSync(join(d, "w.json"), entry({ kind: "cluster-worker", clusterWorkerId: 1, port: 7002, startedAt: 1 }));
    writeFileSync(join(d, "p.json"), entry({ pid: parent, ppid: 0, port: 7001, startedAt: 50 }));
    writeFileSync(join(d, "t.json"), entry({ pid: parent, ppid: 0, threadId: 1, kind: "worker-thread", port: 7003, startedAt: 2 }));
    expect(readDiscoveryDir(d).map((s) => s.port)).toEqual([7001, 7003, 7002]);
  });

  it.runIf(process.getuid?.() === 0)("lists nothing from a directory another user made", () => {
    const d = join(dir, "theirs");
    mkdirSync(d);
    writeFileSync(join(d, "a.json"), entry({}));
    chownSync(d, 4321, 4321);
    expect(readDiscoveryDir(d)).toEqual([]);
  });

  it("lists nothing for a missing directory", () => {
    expect(readDiscoveryDir(join(dir, "missing"))).toEqual([]);
  });

  it("refuses entries that are not ours or could pose as another target", () => {
    expect(parseEntry(entry({ format: "other/1" }), "f")).toBeUndefined();
    expect(parseEntry(entry({ port: 70000 }), "f")).toBeUndefined();
    expect(parseEntry(entry({ host: "evil.example/path" }), "f")).toBeUndefined();
    expect(parseEntry(entry({ host: "user@host" }), "f")).toBeUndefined();
    expect(parseEntry(entry({ kind: "daemon" }), "f")).toBeUndefined();
    expect(parseEntry(entry({ pid: -1 }), "f")).toBeUndefined();
    expect(parseEntry("[1,2]", "f")).toBeUndefined();
    expect(parseEntry(entry({ script: 7 }), "f")?.script).toBe("");
  });

  it("tells live pids from dead ones", () => {
    expect(pidAlive(process.pid)).toBe(true);
    expect(pidAlive(deadPid())).toBe(false);
  });
});
