/**
 * Which kind of process (or thread) insight runs in. It decides the console
 * port: the primary keeps the configured one, every cluster worker and
 * worker thread takes a free port of its own and announces it (discovery.ts),
 * so N copies of one app never fight over 6669. See docs/processes.md.
 */
import cluster from "node:cluster";
import { isMainThread, threadId } from "node:worker_threads";

/**
 * `process`: a main thread that is not a cluster worker (the primary of a
 * cluster, or a program without one). `cluster-worker`: the main thread of a
 * process started by cluster.fork(). `worker-thread`: a worker_threads thread
 * (of either).
 */
export type ProcessKind = "process" | "cluster-worker" | "worker-thread";

export interface ProcessRole {
  readonly kind: ProcessKind;
  readonly pid: number;
  readonly ppid: number;
  /** worker_threads id: 0 on a main thread. */
  readonly threadId: number;
  /** cluster.worker.id on the main thread of a cluster worker, else undefined. */
  readonly clusterWorkerId: number | undefined;
}

export function processRole(): ProcessRole {
  const clusterWorkerId = clusterWorker();
  const kind: ProcessKind = !isMainThread ? "worker-thread" : clusterWorkerId !== undefined ? "cluster-worker" : "process";
  return { kind, pid: process.pid, ppid: process.ppid, threadId, clusterWorkerId };
}

function clusterWorker(): number | undefined {
  try {
    // Set only in the main thread of a process started by cluster.fork() (Node removes NODE_UNIQUE_ID at start-up).
    return cluster.worker?.id;
  } catch {
    return undefined;
  }
}
