/**
 * The adapter kit: what a library adapter uses to publish a library's pool,
 * lock or queue as a resource, its holders, and each blocked wait on it as an
 * async op (docs/wire-conventions.md, docs/adapters.md, issue 15's contract).
 *
 * How to write an adapter (see generic-pool.ts for a complete one):
 *
 *   1. One file per library, exporting an `AdapterDefinition` (patching.ts):
 *      the package name, the supported version range (`versions`), which
 *      builds (`formats`: "cjs", "esm"), and `patch(exports, ctx)`, which wraps
 *      the library's methods with `wrapMethod(proto, "acquire", (original) =>
 *      function acquire(...args) { ... })` (idempotent). Add it to the list in
 *      adapters/index.ts. Loading (CJS require, ESM import, already loaded at
 *      init, version checks) is the loader's job (loading.ts), not yours.
 *   2. In a wrapped method, first `if (!ctx.on()) return original.apply(this,
 *      args)`. Call the original exactly once, outside any try: its own throws
 *      and results pass through untouched. Put your bookkeeping (even reading
 *      the library's fields) in `ctx.safely(() => ..., fallback)`: a throw there
 *      disables the adapter, says so once on NODE_DEBUG=insight, and the app
 *      carries on.
 *   3. `track(libObject, spec, below)` gives the TrackedResource of a library
 *      object (created at the first call that sees it; `below` is the wrapped
 *      function, so its location is the first frame outside node_modules and
 *      insight). `spec.read(obj)` returns the library's counters (capacity, in
 *      use, pending, timeout, extra attributes) and is called only at publish;
 *      `spec.reason(resource, wait)` gives a blocked wait's words (helpers:
 *      `usageText` "2/2 checked out by tasks 4, 7", `runningText` "4/4 running
 *      (tasks 3, 5)"; name holders only when they are certain).
 *   4. A unit checked out: `resource.hold(unitKey, task?, count?)`; given
 *      back: `resource.release(unitKey)`. `unitKey` is any object that
 *      identifies the unit (the pool's connection object, a token). Holders are
 *      published as `holder:<task>` (or `permit:<task>` when `spec.role` is
 *      "permit"), once per unit. A unit the library checks out for ONE
 *      operation on the task's behalf and frees when that operation ends
 *      (pg's pool.query()): `hold(unit, task, 1, "pool.query()")`, counted in
 *      use but never an owner (the task's continuation does not free it, so
 *      naming it a holder would turn a fan-out into a false deadlock).
 *      A unit that runs the task's own work (a limiter slot): set
 *      `spec.selfFreeing` ("call") and pass the wait's enclosing slots as
 *      `within` (slot-context.ts); the kit then publishes the unit as an
 *      owner only while that can close a cycle (ResourceSpec.selfFreeing).
 *   5. A call that will BLOCK (no free unit now): `resource.wait(promise, {
 *      source: "Pool::acquire", below, task?, extra? })`. It starts an async op
 *      at the await site in user code (a cheap capture, read at publish, within
 *      the await tracker's per-second budget), claims the promise from the
 *      generic await tracker (withdrawing its note if the app awaited it
 *      already), and ends the op when the promise settles (or earlier with
 *      `wait.end()`: a slot granted before the promise settles, an abort).
 *      Nothing here keeps the promise or its resolve functions.
 *      CAUTION, unhandled rejections: any settle callback marks a promise as
 *      handled, so an app that drops a promise that then rejects would no
 *      longer get Node's unhandled-rejection error. Attach (`wait(promise)`,
 *      `observe(promise)`) only to promises the library itself handles or
 *      consumes. For the promise the app gets, either return
 *      `follow(promise, onValue, onError)` instead (a promise that settles the
 *      same way after your bookkeeping; claimed), with `wait(undefined, ...)`
 *      ended from the callbacks, or watch the work from inside (p-queue.ts) and
 *      only `claim(promise)`. test/adapters/patch-safety.test.ts checks this.
 *   6. Call `resource.changed()` after the library's state changed without a
 *      hold/release/wait (hold, release and wait call it): the resource is
 *      republished and pending waits' reasons recomputed at the next publish
 *      (its state is read there, not at each change).
 *      `resource.endAllWaits()` when the library drops its queue (clear()).
 *
 * Everything returns undefined / does nothing while insight is off.
 */
import { claimPromise } from "../private/await-tracker.js";
import { debug } from "../private/debug.js";
import { clientGoneReason } from "../private/orphans.js";
import type { AttributeValues, Describable, OpRecord, LiveResource, LiveTask } from "../private/records.js";
import { runtime, type Runtime } from "../private/runtime.js";
import { currentLiveTask, outsideTasks } from "../private/task-context.js";
import { captureUserSite, userSite } from "./user-site.js";

export { claimPromise as claim };
export { follow, observe } from "./settle.js";
export { userSite } from "./user-site.js";
export { runningText, taskList, tasksText, usageText } from "./words.js";
import type { LibraryState } from "./library-state.js";
export type { LibraryState };
export { currentLiveTask };
export type { LiveTask };

export interface ResourceSpec<T extends object> {
  /** The name users know: `Pool`, `Mutex`, `PQueue`... */
  readonly concreteType: string;
  /** `generic-pool@3.9.0`. */
  readonly library: string;
  /** `insight.name`, when the app named it. */
  readonly name?: string | undefined;
  /** How holders are published: `holder` (certain, the default) or `permit` (possible). */
  readonly role?: "holder" | "permit";
  /** The library object's state; called at publish while the object is alive. */
  read(target: T): LibraryState;
  /** The words of a blocked wait, e.g. "waiting for a pool connection: 2/2 checked out by tasks 4, 7". */
  reason(resource: TrackedResource<T>, wait: TrackedWait): string;
  /**
   * Set when a unit runs its task's own work and is freed when that work
   * ends (a limiter's or queue's slot), not by the task's continuation; the
   * work's noun in words ("call", "job"). Such a unit is an owner unless its
   * task also waits on this resource while none of the waits was made from
   * inside that unit's work (WaitSpec.within): a task fanning out over a full
   * limiter waits for slots its own calls free by themselves, which is no
   * cycle; a call waiting from inside its slot is (docs/adapters.md, p-limit).
   */
  readonly selfFreeing?: string;
}

export interface WaitSpec {
  /** `Type::method`, e.g. `Pool::acquire`. */
  readonly source: string;
  /** The wrapped method: the await site is the first user frame below it. */
  readonly below: Function;
  /** The waiting task; the current one by default. */
  readonly task?: LiveTask | undefined;
  /** Extra op attributes (e.g. `insight.requested`). */
  readonly extra?: AttributeValues | undefined;
  /** Units of this resource inside whose work the wait was made (a nested limiter call: slot-context.ts). */
  readonly within?: readonly object[] | undefined;
}

/** One blocked wait. Holds its op and task, never the promise. */
export class TrackedWait {
  readonly task: LiveTask | undefined;
  op: OpRecord | undefined;
  /** WaitSpec.within. */
  readonly within: readonly object[] | undefined;
  readonly #resource: TrackedResource<object>;

  constructor(resource: TrackedResource<object>, task: LiveTask | undefined, op: OpRecord, within?: readonly object[]) {
    this.#resource = resource;
    this.task = task;
    this.op = op;
    this.within = within;
  }

  get ended(): boolean {
    return this.op === undefined;
  }

  /** The wait is over (granted, rejected, timed out, cancelled). Idempotent. */
  end(): void {
    const op = this.op;
    if (op === undefined) return;
    this.op = undefined;
    this.#resource.waitEnded(this, op);
  }
}

/** A library object published as a resource. */
export class TrackedResource<T extends object = object> implements Describable {
  /** Set right after construction (track()). */
  record!: LiveResource;
  readonly spec: ResourceSpec<T>;
  /** Weak: a pool the app dropped must stay collectable (docs/model.md, "proof"). */
  readonly #target: WeakRef<T>;
  /**
   * Units held: unit key → holding task, how many units that key stands for,
   * and, for a unit the library checked out for one operation of the task
   * (pg's pool.query()), that operation's name: such a unit is freed by the
   * operation ending, not by the task, so it is counted in `insight.in_use`
   * but never published as an owner (a task fanning out pool.query() calls
   * over a full pool would otherwise look like the nested-acquire deadlock).
   */
  readonly holders = new Map<object, Holding>();
  readonly waits = new Set<TrackedWait>();
  /** The task whose release last freed a unit: the waker of the next granted wait. */
  lastReleaser: LiveTask | undefined;
  /** Marked since the last publish (changed()). */
  #due = false;
  /** Units held that free themselves for now (spec.selfFreeing), unit → noun; recomputed after a change. */
  #selfFreeing: Map<object, string> | undefined;

  /** The runtime it was published in (after shutdown() and a new init(), objects are tracked afresh). */
  readonly runtime: Runtime;

  constructor(target: T, spec: ResourceSpec<T>, runtime: Runtime) {
    this.#target = new WeakRef(target);
    this.spec = spec;
    this.runtime = runtime;
  }

  /** @internal (Describable) Attributes at publish. */
  describe(): AttributeValues {
    const target = this.#target.deref();
    const state = target === undefined ? {} : this.spec.read(target);
    const role = this.spec.role ?? "holder";
    const owners: string[] = [];
    for (const [unit, { task, count }] of this.holders) {
      if (task !== undefined && this.operationOf(unit) === undefined) for (let i = 0; i < count; i++) owners.push(`${role}:${task.taskId}`);
    }
    return {
      "insight.library": this.spec.library,
      "insight.capacity": finite(state.capacity),
      "insight.in_use": finite(state.inUse),
      "insight.pending": finite(state.pending),
      "insight.timeout_ms": state.timeoutMs !== undefined && state.timeoutMs > 0 ? finite(state.timeoutMs) : undefined,
      ...state.extra,
      "insight.owners": owners.join(","),
    };
  }

  /** The library object, while it is alive. */
  get target(): T | undefined {
    return this.#target.deref();
  }

  /** Tasks holding units (not those lent to one operation), one entry per unit. */
  holderTasks(): (LiveTask | undefined)[] {
    const out: (LiveTask | undefined)[] = [];
    for (const [unit, { task, count }] of this.holders) if (this.operationOf(unit) === undefined) for (let i = 0; i < count; i++) out.push(task);
    return out;
  }

  /**
   * What frees `unit` when it is not its task: the operation it was lent to
   * (hold's `operation`), or spec.selfFreeing when its task waits on this
   * resource from outside the unit's work; undefined for an owner.
   */
  operationOf(unit: object): string | undefined {
    const holding = this.holders.get(unit);
    if (holding === undefined) return undefined;
    if (holding.operation !== undefined) return holding.operation;
    if (this.spec.selfFreeing === undefined) return undefined;
    return (this.#selfFreeing ??= this.#selfFreeingUnits(this.spec.selfFreeing)).get(unit);
  }

  #selfFreeingUnits(noun: string): Map<object, string> {
    const out = new Map<object, string>();
    if (this.waits.size === 0) return out;
    const waiting = new Set<LiveTask>();
    const blocked = new Set<object>();
    for (const wait of this.waits) {
      if (wait.op === undefined) continue;
      if (wait.task !== undefined) waiting.add(wait.task);
      if (wait.within !== undefined) for (const unit of wait.within) blocked.add(unit);
    }
    for (const [unit, { task, operation }] of this.holders) {
      if (operation === undefined && task !== undefined && waiting.has(task) && !blocked.has(unit)) out.set(unit, noun);
    }
    return out;
  }

  /** Units lent to one operation: operation name → the tasks it ran for, one entry per unit. */
  operationTasks(): Map<string, (LiveTask | undefined)[]> {
    const out = new Map<string, (LiveTask | undefined)[]>();
    for (const [unit, { task, count }] of this.holders) {
      const operation = this.operationOf(unit);
      if (operation === undefined) continue;
      let tasks = out.get(operation);
      if (tasks === undefined) out.set(operation, (tasks = []));
      for (let i = 0; i < count; i++) tasks.push(task);
    }
    return out;
  }

  /** Units held in all. */
  get heldUnits(): number {
    let n = 0;
    for (const { count } of this.holders.values()) n += count;
    return n;
  }

  /**
   * `count` units (1 by default) were checked out by `task` (the current task
   * by default); `unit` identifies them for release. `operation` (e.g.
   * "pool.query()"): the library checked them out for that one operation and
   * frees them when it ends; they are counted but not published as owners.
   */
  hold(unit: object, task: LiveTask | undefined = currentLiveTask(), count = 1, operation?: string): void {
    this.holders.set(unit, operation === undefined ? { task, count } : { task, count, operation });
    this.changed();
  }

  /** A unit was given back (unknown units are ignored). */
  release(unit: object): void {
    if (!this.holders.delete(unit)) return;
    this.lastReleaser = currentLiveTask();
    this.changed();
  }

  /** Ends every pending wait (the library dropped its queue: clear(), clearQueue()). */
  endAllWaits(): void {
    for (const wait of [...this.waits]) wait.end();
  }

  /**
   * A call blocked: records the wait and ends it when `promise` settles. Call
   * only when the call will really wait (no free unit now).
   */
  wait(promise: Promise<unknown> | undefined, spec: WaitSpec): TrackedWait | undefined {
    const rt = runtime;
    if (rt === undefined) return undefined;
    if (promise !== undefined) claimPromise(promise);
    const task = spec.task ?? currentLiveTask();
    // Within the capture budget (user-site.ts), the wait gets its site and words now; past it, only
    // if it still waits at the next publish (settle): a contended pool blocks thousands of times a
    // second, and reading a stack and the library's state for each was most of its cost.
    const site = captureUserSite(spec.below);
    const op = rt.createOp(this.record, spec.source, "", undefined, task, undefined, site);
    if (spec.extra !== undefined) op.extra = spec.extra;
    const wait = new TrackedWait(this as TrackedResource<object>, task, op, spec.within);
    this.waits.add(wait);
    if (site.raw === undefined) op.reason = this.#reasonOf(wait);
    this.changed();
    if (promise !== undefined) {
      const end = () => wait.end();
      // Outside the task: the callback must not keep the task's context alive.
      outsideTasks(() => Promise.prototype.then.call(promise, end, end));
    }
    return wait;
  }

  /** @internal */
  waitEnded(wait: TrackedWait, op: OpRecord): void {
    this.waits.delete(wait);
    this.#selfFreeing = undefined;
    const rt = runtime;
    if (rt === undefined) return;
    try {
      rt.completeOp(op, this.lastReleaser ?? currentLiveTask());
      // One release frees one unit: a later grant (a new connection made, say) was not its doing.
      this.lastReleaser = undefined;
      this.changed();
    } catch (error) {
      debug("ending a library wait failed: %s", error);
    }
  }

  /**
   * State changed: republish, and recompute pending waits' reasons at the
   * next publish. Only the first change between two publishes marks the
   * resource (marking one with pending waits reads its attributes at once, and
   * a busy pool changes thousands of times a second); settle() marks it again
   * at the publish, so what is published and what is kept for a pool
   * collected with its waiters are read then.
   */
  changed(): void {
    this.#selfFreeing = undefined;
    if (this.#due) return;
    const rt = runtime;
    if (rt === undefined) return;
    this.#due = true;
    rt.markResource(this.record);
    rt.defer(this);
  }

  /** @internal (deferred by changed()) The state and reasons as of this publish. */
  settle(): void {
    this.#due = false;
    const rt = runtime;
    if (rt === undefined || rt !== this.runtime) return;
    rt.markResource(this.record);
    for (const wait of this.waits) {
      const op = wait.op;
      if (op === undefined) continue;
      const reason = this.#reasonOf(wait);
      if (reason !== op.reason) {
        op.reason = reason;
        rt.markOp(op);
      }
    }
  }

  #reasonOf(wait: TrackedWait): string {
    let reason: string;
    try {
      reason = this.spec.reason(this, wait);
    } catch (error) {
      debug("a library wait's reason failed: %s", error);
      reason = `waiting on ${this.spec.concreteType}`;
    }
    // A request whose client is gone keeps saying so (orphans.ts), whenever the words are recomputed.
    const op = wait.op;
    if (op !== undefined && wait.task?.clientGone === true) {
      if (op.extra?.["insight.client_gone"] !== true) op.extra = { ...op.extra, "insight.client_gone": true };
      return clientGoneReason(op.site, reason);
    }
    return reason;
  }
}

interface Holding {
  readonly task: LiveTask | undefined;
  readonly count: number;
  readonly operation?: string;
}

function finite(value: number | undefined): number | undefined {
  return value !== undefined && Number.isFinite(value) && value >= 0 ? Math.floor(value) : undefined;
}

const tracked = new WeakMap<object, TrackedResource<object>>();

/** The TrackedResource of `target`, if it has one. */
export function trackedOf<T extends object>(target: T): TrackedResource<T> | undefined {
  const found = tracked.get(target) as TrackedResource<T> | undefined;
  return found !== undefined && found.runtime === runtime ? found : undefined;
}

/**
 * The TrackedResource of `target`, created at its first sighting (the
 * creation site is the first user frame below `below`). Undefined while
 * insight is off. (Past the runtime's event buffer, the record exists but is
 * not published, and neither are its waits.)
 */
export function track<T extends object>(target: T, spec: ResourceSpec<T> | (() => ResourceSpec<T>), below: Function): TrackedResource<T> | undefined {
  const rt = runtime;
  if (rt === undefined) return undefined;
  const existing = tracked.get(target) as TrackedResource<T> | undefined;
  if (existing !== undefined && existing.runtime === rt) return existing;
  const resolved = typeof spec === "function" ? spec() : spec;
  const resource = new TrackedResource(target, resolved, rt);
  // The record's weak target is the TrackedResource, which lives as long as `target` does (the WeakMap):
  // the library object's collection is the resource's.
  resource.record = rt.createResource(resolved.concreteType, false, resolved.name, resource, below, userSite(below));
  tracked.set(target, resource as TrackedResource<object>);
  return resource;
}
