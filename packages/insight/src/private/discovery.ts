/**
 * The discovery directory: one small JSON file per running console server,
 * so `consolation --discover` finds every process and worker thread of an
 * app without knowing their ports. Written once when the server listens,
 * removed when insight shuts down or the thread/process exits; a file whose
 * pid is dead (a crash, a SIGKILL) is ignored by readers. The format is
 * documented in docs/processes.md; consolation's reader lives in
 * packages/consolation/src/targets/discovery-dir.ts.
 *
 * Never throws and never prints: a directory that cannot be written only
 * means the process is not discoverable (NODE_DEBUG=insight says why).
 */
import { mkdirSync, readdirSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import cluster from "node:cluster";
import { basename, join } from "node:path";
import { DISCOVERY_FORMAT, discoveryDir } from "@async-insight/protocol";
import { debug } from "./debug.js";
import type { Worker } from "node:worker_threads";
import type { ProcessRole } from "./process-role.js";

export interface DiscoveryEntry {
  readonly format: typeof DISCOVERY_FORMAT;
  readonly pid: number;
  readonly ppid: number;
  readonly threadId: number;
  readonly kind: ProcessRole["kind"];
  readonly clusterWorkerId?: number;
  readonly host: string;
  readonly port: number;
  /** ms since the epoch, when the server started listening. */
  readonly startedAt: number;
  /** The script's file name (argv[1]), to tell apps apart. */
  readonly script: string;
  /** The target needs a bearer token (the token itself is never written). */
  readonly token: boolean;
}

export function entryFileName(role: Pick<ProcessRole, "pid" | "threadId">): string {
  return role.threadId === 0 ? `${role.pid}.json` : `${role.pid}-t${role.threadId}.json`;
}

/**
 * Writes this server's entry; returns a remover (idempotent), or undefined
 * when the entry could not be written.
 */
export function announce(
  role: ProcessRole,
  address: { host: string; port: number },
  tokenSet: boolean,
  dir: string = discoveryDir(),
): (() => void) | undefined {
  const entry: DiscoveryEntry = {
    format: DISCOVERY_FORMAT,
    pid: role.pid,
    ppid: role.ppid,
    threadId: role.threadId,
    kind: role.kind,
    ...(role.clusterWorkerId !== undefined ? { clusterWorkerId: role.clusterWorkerId } : {}),
    host: address.host,
    port: address.port,
    startedAt: Date.now(),
    script: process.argv[1] ? basename(process.argv[1]) : "",
    token: tokenSet,
  };
  const file = join(dir, entryFileName(role));
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // In a shared temp directory, someone else could have made it first: never write into another user's.
    const owner = statSync(dir).uid;
    const me = process.getuid?.();
    if (me !== undefined && owner !== me) throw new Error(`${dir} belongs to uid ${owner}`);
    // Written aside and renamed: a reader never sees half a file.
    const temporary = `${file}.${process.pid}-${role.threadId}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
    renameSync(temporary, file);
  } catch (error) {
    debug("discovery: could not write %s: %s", file, error);
    return undefined;
  }
  debug("discovery: announced %s", file);
  pruneDeadEntries(dir);
  let removed = false;
  const remove = () => {
    if (removed) return;
    removed = true;
    process.off("exit", remove);
    try {
      unlinkSync(file);
    } catch (error) {
      debug("discovery: could not remove %s: %s", file, error);
    }
  };
  // 'exit' runs in a worker thread too when it ends; a crash or SIGKILL leaves the file, which readers
  // ignore once the pid is dead.
  process.on("exit", remove);
  return remove;
}

/**
 * Processes killed by a signal leave their files; each new server sweeps
 * those whose pid is gone, so the directory does not grow without bound.
 * Only names this module writes are touched.
 */
function pruneDeadEntries(dir: string): void {
  try {
    for (const name of readdirSync(dir)) {
      const match = /^(\d+)(?:-t\d+)?\.json$/.exec(name);
      if (match && !pidAlive(Number(match[1]))) unlinkSync(join(dir, name));
    }
  } catch (error) {
    debug("discovery: sweeping %s: %s", dir, error);
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * A worker thread ended with worker.terminate() never runs its 'exit'
 * listeners, and a cluster worker killed by a signal neither, so neither can
 * remove its own entry. The thread or primary that started it can: Node emits
 * 'worker' on `process` for each new Worker and 'exit' on `cluster` for each
 * forked worker that ends. Removing a file that was never written (no insight
 * in that worker) is a no-op. Returns the undo.
 */
export function removeEntriesOfEndedThreads(dir: string = discoveryDir()): () => void {
  const removeQuietly = (file: string) => {
    try {
      unlinkSync(join(dir, file));
    } catch {
      // Already removed by the worker itself, or never written.
    }
  };
  const onWorker = (worker: Worker) => {
    const threadId = worker.threadId;
    worker.once("exit", () => removeQuietly(entryFileName({ pid: process.pid, threadId })));
  };
  const onClusterExit = (worker: { process: { pid?: number | undefined } }) => {
    const pid = worker.process.pid;
    if (pid !== undefined) removeQuietly(entryFileName({ pid, threadId: 0 }));
  };
  process.on("worker", onWorker);
  const primary = cluster.isPrimary;
  if (primary) cluster.on("exit", onClusterExit);
  return () => {
    process.off("worker", onWorker);
    if (primary) cluster.off("exit", onClusterExit);
  };
}
