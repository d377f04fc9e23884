import { describe, expect, it } from "vitest";
import { RuntimeStore } from "../index.js";
import { MS, T0, UpdateBuilder } from "../testing/fixtures.js";
import { readTaskNanos, type TaskNanos } from "./task-nanos.js";

describe("readTaskNanos", () => {
  it("gives the numbers of `times` and `polls` for running, scheduled, idle and completed tasks", () => {
    const store = new RuntimeStore();
    const b = new UpdateBuilder()
      .task({ span: 1n, id: 1n })
      .task({ span: 2n, id: 2n })
      .task({ span: 3n, id: 3n })
      .task({ span: 4n, id: 4n })
      .taskStats(1n, { created: T0, polls: 3n, started: T0 + 5n * MS })
      .taskStats(2n, { created: T0, polls: 1n, started: T0 + MS, ended: T0 + 2n * MS, lastWake: T0 + 3n * MS })
      .taskStats(3n, { created: T0, polls: 1n, started: T0 + MS, ended: T0 + 2n * MS })
      .taskStats(4n, { created: T0, dropped: T0 + 4n * MS, polls: 2n, started: T0 + MS, ended: T0 + 2n * MS });
    store.applyUpdate(b.build(T0 + 10n * MS));
    const out: TaskNanos = { total: -1, busy: -1, scheduled: -1, idle: -1, polls: -1 };
    for (const task of store.tasks()) {
      readTaskNanos(task, out);
      const t = task.times;
      expect(out).toEqual({ total: Number(t.total), busy: Number(t.busy), scheduled: Number(t.scheduled), idle: Number(t.idle), polls: Number(task.polls) });
    }
    readTaskNanos(store.task(1n)!, out);
    expect(out).toEqual({ total: 10_000_000, busy: 5_000_000, scheduled: 0, idle: 5_000_000, polls: 3 });
  });

  it("reads any TaskRecord, not only the store's own", () => {
    // A record from elsewhere (a merged or replayed view) has only the public bigint getters.
    const record = { times: { total: 9n, busy: 4n, scheduled: 2n, idle: 3n }, polls: 7n };
    const out: TaskNanos = { total: 0, busy: 0, scheduled: 0, idle: 0, polls: 0 };
    readTaskNanos(record as never, out);
    expect(out).toEqual({ total: 9, busy: 4, scheduled: 2, idle: 3, polls: 7 });
  });
});
