/**
 * A small vocabulary over {@link UpdateBuilder} for the evidence tests:
 * tasks idle with their wakers held (healthy) or dropped (proven stuck),
 * named resources with owners, pending waits. Task span = 100 + id; every
 * verdict is read back through `runLints`, as `check` reads it.
 */
import { RuntimeStore } from "../store/store.js";
import { runLints } from "../lints/registry.js";
import type { DisplayId } from "../model.js";
import { MS, S, T0, UpdateBuilder, type Value } from "./fixtures.js";

export const span = (id: bigint): bigint => 100n + id;

export type TaskMode = "waiting" | "stuck" | "running";

/** A task polled twice, last poll ended at T0 + 2 ms; `stuck` has no waker left, `running` is in a poll. */
export function task(b: UpdateBuilder, id: bigint, name: string, mode: TaskMode = "waiting"): UpdateBuilder {
  return b.task({ span: span(id), id, name, file: "app.mjs", line: Number(id) }).taskStats(span(id), {
    created: T0,
    polls: 2n,
    started: mode === "running" ? T0 + 3n * MS : T0 + MS,
    ended: T0 + 2n * MS,
    wakes: 1n,
    clones: 2n,
    drops: mode === "stuck" ? 2n : 1n,
    lastWake: T0,
  });
}

/** A resource with `insight.name` and the given attributes (owners as `insight.owners`). */
export function resource(b: UpdateBuilder, resourceSpan: bigint, type: string, name: string, values: Record<string, Value> = {}, kind = "Sync"): UpdateBuilder {
  return b
    .resource({ span: resourceSpan, type, kind, file: "app.mjs", line: Number(resourceSpan) })
    .resourceStats(resourceSpan, { "insight.name": name, ...values });
}

/** A pending wait of task `id` on a resource. */
export function wait(b: UpdateBuilder, opSpan: bigint, source: string, resourceSpan: bigint, id: bigint, values: Record<string, Value> = {}): UpdateBuilder {
  return b
    .asyncOp({ span: opSpan, source, resource: resourceSpan, file: "app.mjs", line: Number(opSpan) })
    .opStats(opSpan, span(id), values, { created: T0 + MS });
}

/** The lints the accuracy corpus counts: the stuck ones at any level, plus any other error. */
export const STUCK_LINTS: ReadonlySet<string> = new Set([
  "deadlock-cycle",
  "likely-deadlock",
  "never-woken",
  "lock-held-while-idle",
  "permits-held-while-idle",
  "pool-exhausted-by-idle-holders",
  "limiter-slots-held-by-stuck",
  "lock-held-across-stuck-await",
]);

/** Applies the same scene at two updates 1 s apart (10 s after T0), as a verdict needs. */
export function observeScene(scene: (b: UpdateBuilder, update: number) => void, updates = 2): RuntimeStore {
  const store = new RuntimeStore({ retainForNs: null });
  const b = new UpdateBuilder();
  for (let i = 0; i < updates; i++) {
    scene(b, i);
    store.applyUpdate(b.build(T0 + 10n * S + BigInt(i) * S));
  }
  return store;
}

/** `lint: ids` per counted problem, sorted: what the accuracy corpus compares. */
export function verdict(store: RuntimeStore): string[] {
  return runLints(store)
    .filter((p) => STUCK_LINTS.has(p.lint) || p.severity === "error")
    .map((p) => `${p.lint}: ${[...p.tasks].sort((a, c) => (a < c ? -1 : 1)).join(",")}`)
    .sort();
}

/** The message of the one problem of a lint. */
export function messageOf(store: RuntimeStore, lint: string): string[] {
  return runLints(store, { warn: [lint] }).map((p) => p.message);
}

export type { DisplayId };
