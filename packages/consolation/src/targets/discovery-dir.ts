/**
 * Reads the discovery directory insight writes (one JSON file per console
 * server: packages/insight/src/private/discovery.ts, format in
 * docs/processes.md). Every file is untrusted text: a malformed one, or one
 * whose pid is no longer alive (a crashed or killed process leaves its file),
 * is skipped, never an error.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { DISCOVERY_FORMAT, discoveryDir } from "@async-insight/protocol";

export type DiscoveredKind = "process" | "cluster-worker" | "worker-thread";

export interface DiscoveredServer {
  readonly pid: number;
  readonly ppid: number;
  readonly threadId: number;
  readonly kind: DiscoveredKind;
  readonly clusterWorkerId: number | undefined;
  readonly host: string;
  readonly port: number;
  readonly startedAt: number;
  readonly script: string;
  readonly token: boolean;
  /** The file it was read from. */
  readonly file: string;
}

/** Whether a process with this pid exists (EPERM: it does, owned by someone else). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

const KINDS: readonly string[] = ["process", "cluster-worker", "worker-thread"];
const isCount = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0;

/** One file's entry, or undefined when it is not a valid one. */
export function parseEntry(text: string, file: string): DiscoveredServer | undefined {
  let raw: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== "object" || parsed === null) return undefined;
    raw = parsed as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const { pid, ppid, threadId, kind, clusterWorkerId, host, port, startedAt, script, token } = raw;
  if (raw.format !== DISCOVERY_FORMAT || !isCount(pid) || pid === 0 || !isCount(threadId) || typeof kind !== "string" || !KINDS.includes(kind))
    return undefined;
  if (typeof host !== "string" || host === "" || host.length > 255 || /[\s/@]/.test(host) || !isCount(port) || port < 1 || port > 65535) return undefined;
  return {
    pid,
    ppid: isCount(ppid) ? ppid : 0,
    threadId,
    kind: kind as DiscoveredKind,
    clusterWorkerId: isCount(clusterWorkerId) ? clusterWorkerId : undefined,
    host,
    port,
    startedAt: isCount(startedAt) ? startedAt : 0,
    script: typeof script === "string" ? script.slice(0, 200) : "",
    token: token === true,
    file,
  };
}

/**
 * The live servers listed in `dir`, each family together (see
 * orderFamilies). A missing directory lists nothing.
 */
export function readDiscoveryDir(dir: string = discoveryDir(), alive: (pid: number) => boolean = pidAlive): DiscoveredServer[] {
  let names: string[];
  try {
    // Another user's directory (made first in a shared temp directory) could point us anywhere: list nothing from it.
    const me = process.getuid?.();
    if (me !== undefined && statSync(dir).uid !== me) return [];
    names = readdirSync(dir).filter((name) => name.endsWith(".json"));
  } catch {
    return [];
  }
  const found: DiscoveredServer[] = [];
  for (const name of names) {
    const file = join(dir, name);
    let text: string;
    try {
      if (statSync(file).size > 4096) continue; // not one of ours
      text = readFileSync(file, "utf8");
    } catch {
      continue; // removed while we read: that process just ended
    }
    const entry = parseEntry(text, file);
    if (entry && alive(entry.pid)) found.push(entry);
  }
  return orderFamilies(found);
}

/**
 * A stable order that does not depend on who started first: a process, then
 * its threads, then the processes it forked (a cluster's workers) with theirs;
 * unrelated processes by pid.
 */
function orderFamilies(found: DiscoveredServer[]): DiscoveredServer[] {
  const pids = new Set(found.map((s) => s.pid));
  const root = (s: DiscoveredServer) => (pids.has(s.ppid) ? s.ppid : s.pid);
  return found.sort(
    (a, b) => root(a) - root(b) || Number(root(a) !== a.pid) - Number(root(b) !== b.pid) || a.pid - b.pid || a.threadId - b.threadId || a.port - b.port,
  );
}

/** The short label every view uses for a process: its pid, with `/tN` for a worker thread. */
export function serverLabel(server: Pick<DiscoveredServer, "pid" | "threadId">): string {
  return server.threadId === 0 ? String(server.pid) : `${server.pid}/t${server.threadId}`;
}

/** What kind of process it is, in words: "primary", "cluster worker 2", "worker thread 1". */
export function serverRole(server: Pick<DiscoveredServer, "kind" | "clusterWorkerId" | "threadId">): string {
  if (server.kind === "cluster-worker") return `cluster worker${server.clusterWorkerId !== undefined ? ` ${server.clusterWorkerId}` : ""}`;
  if (server.kind === "worker-thread") return `worker thread ${server.threadId}`;
  return "process";
}
