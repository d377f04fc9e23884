/**
 * The terminal views over several targets: the union of each target's own
 * view (each from its own engine store, so ids, cycles and lints never mix
 * processes), every task labelled with its process. Keys get a per-target
 * prefix that is never reused, so a selection survives other targets coming
 * and going; problem summaries name their process.
 */
import type {
  AsyncOpRow,
  DroppedEvents,
  ShownFreer,
  ShownProblem,
  ResourceDetail,
  ResourceRow,
  RuntimeView,
  TaskDetail,
  TaskLink,
  TaskRow,
  TaskActivity,
  WaitLine,
} from "./view-model.js";

export interface ViewPart {
  /** Stable and unique for the session: the key prefix. */
  readonly id: number;
  /** The process column: "4242", "4242/t1", or host:port. */
  readonly label: string;
  readonly view: () => RuntimeView;
}

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

/** A row of one target, with its key prefixed and its process named; reads through to the row (whose sparkline is lazy). */
class ProcessTaskRow implements TaskRow {
  readonly key: string;
  constructor(
    readonly inner: TaskRow,
    prefix: string,
    readonly process: string,
  ) {
    this.key = prefix + inner.key;
  }
  get protocolId(): bigint {
    return this.inner.protocolId;
  }
  get id(): string {
    return this.inner.id;
  }
  get name(): string {
    return this.inner.name;
  }
  get kind(): string {
    return this.inner.kind;
  }
  get state(): TaskActivity {
    return this.inner.state;
  }
  get share(): TaskRow["share"] {
    return this.inner.share;
  }
  get recent(): readonly number[] {
    return this.inner.recent;
  }
  get totalNs(): bigint {
    return this.inner.totalNs;
  }
  get nanos(): TaskRow["nanos"] {
    return this.inner.nanos;
  }
  get busyNs(): bigint {
    return this.inner.busyNs;
  }
  get scheduledNs(): bigint {
    return this.inner.scheduledNs;
  }
  get idleNs(): bigint {
    return this.inner.idleNs;
  }
  get polls(): bigint {
    return this.inner.polls;
  }
  get location(): string {
    return this.inner.location;
  }
  get fields(): string {
    return this.inner.fields;
  }
  get warnings(): number {
    return this.inner.warnings;
  }
}

export const keyPrefix = (part: Pick<ViewPart, "id">) => `p${part.id}:`;

function splitKey(key: string): { id: number; rest: string } | undefined {
  const match = /^p(\d+):(.*)$/s.exec(key);
  return match ? { id: Number(match[1]), rest: match[2]! } : undefined;
}

export class MultiView implements RuntimeView {
  readonly #parts: () => readonly ViewPart[];
  /** Wrapped rows per target, reused while the target's view returns the same array. */
  readonly #rows = new Map<number, { from: readonly TaskRow[]; rows: TaskRow[] }>();

  constructor(parts: () => readonly ViewPart[]) {
    this.#parts = parts;
  }

  #part(key: string): { part: ViewPart; rest: string } | undefined {
    const split = splitKey(key);
    const part = split && this.#parts().find((p) => p.id === split.id);
    return part && split ? { part, rest: split.rest } : undefined;
  }

  tasks(): readonly TaskRow[] {
    const out: TaskRow[] = [];
    const live = new Set<number>();
    for (const part of this.#parts()) {
      live.add(part.id);
      const from = part.view().tasks();
      let cached = this.#rows.get(part.id);
      if (cached?.from !== from) {
        const prefix = keyPrefix(part);
        cached = { from, rows: from.map((row) => new ProcessTaskRow(row, prefix, part.label)) };
        this.#rows.set(part.id, cached);
      }
      out.push(...cached.rows);
    }
    for (const id of this.#rows.keys()) if (!live.has(id)) this.#rows.delete(id);
    return out;
  }

  task(key: string): TaskDetail | undefined {
    const found = this.#part(key);
    const detail = found?.part.view().task(found.rest);
    if (!found || !detail) return undefined;
    const prefix = keyPrefix(found.part);
    return {
      ...detail,
      row: new ProcessTaskRow(detail.row, prefix, found.part.label),
      parent: detail.parent && ref(detail.parent, prefix),
      waits: detail.waits.map((w) => wait(w, prefix)),
    };
  }

  resources(): readonly ResourceRow[] {
    return this.#parts().flatMap((part) => {
      const prefix = keyPrefix(part);
      return part
        .view()
        .resources()
        .map((row) => ({ ...row, key: prefix + row.key }));
    });
  }

  resource(key: string): ResourceDetail | undefined {
    const found = this.#part(key);
    const detail = found?.part.view().resource(found.rest);
    if (!found || !detail) return undefined;
    const prefix = keyPrefix(found.part);
    return {
      ...detail,
      row: { ...detail.row, key: prefix + detail.row.key },
      waiting: detail.waiting.map((w) => ({ ...w, task: ref(w.task, prefix) })),
      freers: detail.freers.map((f): ShownFreer => ({ ...f, task: ref(f.task, prefix) })),
      asyncOps: detail.asyncOps.map((op): AsyncOpRow => ({ ...op, task: op.task && ref(op.task, prefix) })),
    };
  }

  problems(): readonly ShownProblem[] {
    const all = this.#parts().flatMap((part) => {
      const prefix = keyPrefix(part);
      return part
        .view()
        .problems()
        .map(
          (p): ShownProblem => ({
            ...p,
            summary: `process ${part.label}: ${p.summary}`,
            tasks: p.tasks.map((t) => ({ ...t, task: ref(t.task, prefix), waits: t.waits.map((w) => wait(w, prefix)) })),
          }),
        );
    });
    // Stable: within a severity, targets keep their order and each target its own.
    return all.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  }

  dropped(): DroppedEvents {
    let tasks = 0n;
    let resources = 0n;
    let asyncOps = 0n;
    for (const part of this.#parts()) {
      const d = part.view().dropped();
      tasks += d.tasks;
      resources += d.resources;
      asyncOps += d.asyncOps;
    }
    return { tasks, resources, asyncOps };
  }
}

function ref(task: TaskLink, prefix: string): TaskLink {
  return { ...task, key: prefix + task.key };
}

function wait(line: WaitLine, prefix: string): WaitLine {
  return line.resourceKey === undefined ? line : { ...line, resourceKey: prefix + line.resourceKey };
}
