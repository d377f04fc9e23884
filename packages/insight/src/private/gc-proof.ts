/**
 * The GC proof (docs/model.md, "Proof by garbage collection"). A task's
 * context object (task-context.ts) is strongly reachable only from the async
 * contexts that can still run the task's code: promise reactions, timers, I/O
 * handles. insight holds it through a WeakRef. After a full GC, an empty
 * WeakRef on a task that has not finished means nothing that could ever
 * resume it exists: the task is stuck for good, and it is published as such
 * (every waker dropped, tokio's "lost waker"). Primitives collected while
 * tasks still waited on them are marked unreachable.
 *
 * Any full GC will do. While someone looks and there is something to prove
 * (a candidate, below, or a primitive collected with waits pending), the
 * app's own major GCs are watched (a `gc` PerformanceObserver) and each is
 * followed by a check; with nothing to prove (a busy, healthy service) no
 * GC is watched. A full GC is forced only for candidates (a task idle,
 * or a wait pending, for 3 s) that no full GC has seen yet: while a console watches (or did in the last minute:
 * a dump connects only for a snapshot) or a recording runs; at most once per
 * `proofInterval`; for the same candidates again only after something
 * changed, backing off from the interval up to 16 times it.
 */
import { constants, PerformanceObserver, type PerformanceEntry } from "node:perf_hooks";
import { debug, guarded } from "./debug.js";
import { now } from "./clock.js";
import { fullGc } from "./full-gc.js";
import type { Runtime } from "./runtime.js";
import type { LiveTask } from "./records.js";
import { taskStorage } from "./task-context.js";
import { getHeapStatistics } from "node:v8";

function heapUsed(): number {
  return getHeapStatistics().used_heap_size;
}

/** How long a task must be idle (or a wait pending) before a GC may prove it stuck. */
export const PROOF_IDLE_MS = 3000;
/** A console that connected briefly (a dump) still counts as watching this long after. */
export const OBSERVED_AFTER_VISIT_MS = 60_000;
const MAX_BACKOFF = 16;
const CHECK_EVERY_MS = 1000;

export interface SweepResult {
  /** The forced GC's pause, in ms (-1: no GC could be forced). */
  readonly pauseMs: number;
  /** Tasks newly proven stuck. */
  readonly proven: number;
  /** Resources newly found collected while waited on. */
  readonly unreachable: number;
}

export class GcProof {
  readonly #runtime: Runtime;
  readonly #observed: () => boolean;
  #timer: NodeJS.Timeout | undefined;
  #gcObserver: PerformanceObserver | undefined;
  /** Last forced GC. */
  #lastSweep = Number.NEGATIVE_INFINITY;
  /** Last full GC (forced or the app's own) followed by a check, and the runtime's changes then. */
  #lastCheck = Number.NEGATIVE_INFINITY;
  #changesAtCheck = -1;
  #backoff = 1;
  #sweeping = false;
  /** The last forced GC's pause in ms, for diagnostics and the benchmark. */
  lastPauseMs = -1;
  /** Checks run after the app's own major GCs. */
  naturalChecks = 0;

  /** `observed`: whether a console watches or a recording runs. */
  constructor(runtime: Runtime, observed: () => boolean) {
    this.#runtime = runtime;
    this.#observed = observed;
  }

  /** A forced sweep is under way. */
  get sweeping(): boolean {
    return this.#sweeping;
  }

  /** The app's own GCs are being watched (see maybeSweep). */
  get watchingGcs(): boolean {
    return this.#gcObserver !== undefined;
  }

  start(): void {
    if (this.#runtime.options.proof === "off") return;
    // Outside any task, so the timer keeps no task's context alive.
    this.#timer = taskStorage.exit(() => setInterval(() => guarded("gc proof", () => this.maybeSweep(), false), CHECK_EVERY_MS));
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#watchNaturalGcs(false);
  }

  /** Starts a forced sweep if one is due (see the file comment); true if it did. */
  maybeSweep(at = now()): boolean {
    const rt = this.#runtime;
    if (rt.options.proof === "off" || !this.#observed()) {
      this.#watchNaturalGcs(false);
      return false;
    }
    const { any, fresh } = this.#candidates(at);
    // Every full GC the app makes while someone looks is a free check; the
    // candidates it saw need no forced one. Watching costs a performance
    // entry delivered to JS for every GC, scavenges included (hundreds a
    // second in a busy service), so only while a check could find anything:
    // a candidate task (one only after 3 s idle or waiting; this runs every
    // second, so at most a second late), or a primitive collected with waits
    // still pending, which a check settles.
    this.#watchNaturalGcs(any || this.#collectedPending());
    if (!any || this.#sweeping || at - this.#lastSweep < rt.options.proofIntervalMs) return false;
    // A full GC's pause grows with the heap: past the limit, only the app's own GCs prove anything.
    if (heapUsed() > rt.options.proofMaxHeapBytes) {
      debug("gc proof: heap over %d MB, no GC forced", rt.options.proofMaxHeapBytes / (1024 * 1024));
      return false;
    }
    if (!fresh) {
      // Every candidate was there at the last full GC: only worth another if anything moved since, and not often.
      if (rt.changes === this.#changesAtCheck || at - this.#lastSweep < rt.options.proofIntervalMs * this.#backoff) return false;
      this.#backoff = Math.min(this.#backoff * 2, MAX_BACKOFF);
    } else {
      this.#backoff = 1;
    }
    void this.sweep(at);
    return true;
  }

  /**
   * Forces a full GC on a fresh macrotask (nothing dereferenced in the same
   * job, which would keep WeakRef targets alive), then checks on the next.
   */
  sweep(at = now()): Promise<SweepResult> {
    this.#sweeping = true;
    this.#lastSweep = at;
    this.#noteCheck(at);
    // Young tasks and guards get their WeakRef / finalizer now, in this job:
    // a WeakRef made keeps its target alive until the job ends.
    guarded("settling before the gc proof", () => this.#runtime.settleDeferred(), undefined);
    return new Promise<SweepResult>((resolve) => {
      taskStorage.exit(() =>
        setImmediate(() => {
          const gc = fullGc();
          const started = now();
          const pauseMs = guarded("forced gc", () => (gc ? (gc(), now() - started) : -1), -1);
          this.lastPauseMs = pauseMs;
          setImmediate(() => {
            this.#sweeping = false;
            const found = pauseMs < 0 ? { proven: 0, unreachable: 0 } : guarded("gc proof check", () => this.#check(), { proven: 0, unreachable: 0 });
            debug("gc proof: full GC paused %s ms; %d task(s) proven stuck, %d resource(s) unreachable", pauseMs.toFixed(1), found.proven, found.unreachable);
            resolve({ pauseMs, ...found });
          });
        }),
      );
    });
  }

  #noteCheck(at: number): void {
    this.#lastCheck = at;
    this.#changesAtCheck = this.#runtime.changes;
  }

  /** Follows the app's own major GCs with a check while there is something to prove. */
  #watchNaturalGcs(on: boolean): void {
    if (on === (this.#gcObserver !== undefined)) return;
    if (!on) {
      this.#gcObserver?.disconnect();
      this.#gcObserver = undefined;
      return;
    }
    guarded(
      "watching gcs",
      () => {
        const observer = new PerformanceObserver((list) => guarded("gc proof check", () => this.#afterGcs(list.getEntries()), undefined));
        observer.observe({ entryTypes: ["gc"] });
        this.#gcObserver = observer;
      },
      undefined,
    );
  }

  #afterGcs(entries: PerformanceEntry[]): void {
    // Entries are delivered on a later task than the GC itself, as the check needs.
    // Forced ones are insight's own (already checked) or the app's gc() calls.
    const major = entries.filter((entry) => {
      const detail = (entry as { detail?: { kind?: number; flags?: number } }).detail;
      return ((detail?.kind ?? 0) & constants.NODE_PERFORMANCE_GC_MAJOR) !== 0 && ((detail?.flags ?? 0) & constants.NODE_PERFORMANCE_GC_FLAGS_FORCED) === 0;
    });
    if (major.length === 0 || this.#sweeping) return;
    // The GC looked at what was there when it began.
    const began = Math.min(...major.map((entry) => entry.startTime));
    if (began > this.#lastCheck) this.#noteCheck(began);
    this.naturalChecks++;
    const found = this.#check();
    if (found.proven + found.unreachable > 0)
      debug("gc proof after the app's own GC: %d task(s) proven stuck, %d resource(s) unreachable", found.proven, found.unreachable);
  }

  #check(): { proven: number; unreachable: number } {
    const rt = this.#runtime;
    let proven = 0;
    let unreachable = 0;
    for (const task of rt.tasks.values()) {
      if (task.droppedAt >= 0 || task.proven || task.polls === 0 || task.context === undefined) continue;
      // Main never finishes: a module whose top-level code is over, or parked for good on purpose
      // (`await new Promise(() => {})` to run forever), leaves nothing that runs its code, yet it is
      // done, not stuck. An unreachable context says nothing about it.
      if (task.kind === "main") continue;
      if (task.context.deref() === undefined) {
        debug("gc proof: task %d (%s, %s) proven stuck", task.taskId, task.name, task.kind);
        rt.proveStuck(task);
        proven++;
      }
    }
    for (const resource of rt.resources.values()) {
      if (resource.unreachable || resource.droppedAt >= 0 || resource.pendingOps <= 0) continue;
      // The finalizer may not have run yet: look for ourselves.
      if (!resource.collected && resource.target.deref() === undefined) resource.collected = true;
      if (!resource.collected) continue;
      rt.settleCollected(resource);
      if (resource.unreachable) unreachable++;
    }
    return { proven, unreachable };
  }

  /** Whether a primitive was collected with waits pending that no check has settled yet. */
  #collectedPending(): boolean {
    for (const resource of this.#runtime.resources.values()) {
      if (resource.collected && !resource.unreachable && resource.droppedAt < 0 && resource.pendingOps > 0) return true;
    }
    return false;
  }

  /** Whether some task is a candidate (idle or waiting >= 3 s, not proven), and whether one became so since the last checked GC. */
  #candidates(at: number): { any: boolean; fresh: boolean } {
    const cutoff = at - PROOF_IDLE_MS;
    // A task gets its WeakRef at the first publish after it starts: one idle
    // since before (last check - one interval) was there for that GC to see.
    const freshAfter = this.#lastCheck - this.#runtime.options.publishIntervalMs;
    let any = false;
    for (const task of this.#runtime.tasks.values()) {
      const since = candidateSince(task);
      if (since < 0 || since > cutoff) continue;
      any = true;
      if (since > freshAfter) return { any, fresh: true };
    }
    return { any, fresh: false };
  }
}

/**
 * Since when `task` has been a candidate for the proof, or -1: a spawned task
 * idle since its last poll, or any task (a request too) in an insight wait.
 */
function candidateSince(task: LiveTask): number {
  if (task.droppedAt >= 0 || task.proven || task.polls === 0 || task.lastPollStarted > task.lastPollEnded) return -1;
  const wait = task.waitingOn;
  if (wait !== undefined && wait.droppedAt < 0) return Math.max(wait.createdAt, task.lastPollEnded);
  return task.kind === "task" ? task.lastPollEnded : -1;
}
