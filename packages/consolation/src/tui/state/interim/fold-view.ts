/**
 * Answers the views' questions (RuntimeView) from the interim FoldStore:
 * task rows with tokio-console's state and time rules, waits with reasons,
 * who can free a resource, and confirmed deadlock cycles as problems.
 */
import { durationToNanos, timestampToNanos, type Location } from "@insight/protocol";
import { shortenLocation } from "../../../format/location.js";
import type { Freer, Problem, ProblemTask, ResourceDetail, ResourceRow, RuntimeView, TaskDetail, TaskRef, TaskRow, TaskState, WaitLine } from "../view-model.js";
import { toDot, toMermaid, type GraphEdge, type GraphNode } from "./cycle-export.js";
import type { FoldStore, OpEntry, ResourceEntry, TaskEntry } from "./fold-store.js";
import { directionOf, parseOwners, reasonFromSource } from "./reasons.js";
import { sourceLine } from "./source-lines.js";
import { CycleConfirmer, findCycles, type WaitEdge } from "./wait-graph.js";

const HIDDEN_FIELDS = new Set(["task.name", "task.id", "kind", "spawn.location", "loc.file", "loc.line", "loc.col"]);
const RUNTIME_INTERNAL = /<cargo>\/tokio-|node:internal/;

function locationText(location: Location | undefined): string {
  if (!location?.file) return "";
  return shortenLocation([location.file, location.line, location.column].filter((p) => p !== undefined).join(":"));
}

function num(t: { seconds: bigint; nanos: number } | undefined): number | undefined {
  return t ? Number(t.seconds) * 1e9 + t.nanos : undefined;
}

export class FoldView implements RuntimeView {
  readonly #store: FoldStore;
  readonly #confirmer = new CycleConfirmer();
  #cacheAt = -1;
  #rows = new Map<bigint, TaskRow>();
  #rowList: TaskRow[] = [];
  #waits = new Map<bigint, WaitLine[]>();
  #problems: Problem[] = [];

  constructor(store: FoldStore) {
    this.#store = store;
  }

  #refresh(): void {
    if (this.#cacheAt === this.#store.updates) return;
    this.#cacheAt = this.#store.updates;
    this.#waits = new Map();
    const pending = this.#store.pendingOps();
    for (const op of pending) {
      const task = this.#store.opTask(op);
      if (task === undefined) continue;
      const list = this.#waits.get(task) ?? [];
      list.push(this.#waitLine(op));
      this.#waits.set(task, list);
    }
    this.#rows = new Map();
    for (const entry of this.#store.tasks.values()) this.#rows.set(entry.spanId, this.#row(entry));
    this.#rowList = [...this.#rows.values()];
    this.#problems = this.#findProblems(pending);
  }

  /** Name, location and fields never change after a task appears; formatting them every frame is the list's main cost at 10k tasks. */
  readonly #static = new WeakMap<TaskEntry, { name: string; kind: string; location: string; fields: string }>();

  #staticOf(entry: TaskEntry) {
    let cached = this.#static.get(entry);
    if (!cached) {
      const meta = this.#store.metaOf(entry.task.metadata);
      cached = {
        name: entry.fields.get("task.name") ?? "",
        kind: entry.fields.get("kind") ?? "task",
        location: locationText(entry.task.location) || locationText(meta?.location),
        fields: [...entry.fields].filter(([k]) => !HIDDEN_FIELDS.has(k)).map(([k, v]) => `${k}=${v}`).join(" "),
      };
      this.#static.set(entry, cached);
    }
    return cached;
  }

  #row(entry: TaskEntry): TaskRow {
    // Float nanoseconds: bigint arithmetic made this loop the main cost of a frame at 10k tasks,
    // and sub-microsecond error does not show in a duration printed to three digits.
    const now = Number(this.#store.nowNs);
    const stats = entry.stats;
    const poll = stats?.pollStats;
    const created = num(stats?.createdAt) ?? now;
    const droppedAt = num(stats?.droppedAt);
    const started = num(poll?.lastPollStarted);
    const ended = num(poll?.lastPollEnded);
    const woke = num(stats?.lastWake);
    let state: TaskState = "blocked";
    if (droppedAt !== undefined) state = "completed";
    else if (started !== undefined && (ended === undefined || started > ended)) state = "running";
    else if (woke !== undefined && (started === undefined || woke > started)) state = "ready";
    const end = droppedAt ?? now;
    const total = Math.max(0, end - created);
    let busy = num(poll?.busyTime) ?? 0;
    if (state === "running" && started !== undefined && now > started) busy += now - started;
    let sched = num(stats?.scheduledTime) ?? 0;
    if (state === "ready" && woke !== undefined && now > woke) sched += now - woke;
    const idle = Math.max(0, total - busy - sched);
    const share = (n: number) => (total > 0 ? n / total : 0);
    const ns = (n: number) => BigInt(Math.round(n));
    const fixed = this.#staticOf(entry);
    return {
      key: String(entry.spanId),
      protocolId: entry.spanId,
      id: entry.displayId,
      name: fixed.name,
      kind: fixed.kind,
      state,
      share: { running: share(busy), ready: share(sched), blocked: share(idle) },
      recent: entry.recent,
      totalNs: ns(total),
      busyNs: ns(busy),
      scheduledNs: ns(sched),
      idleNs: ns(idle),
      polls: poll?.polls ?? 0n,
      location: fixed.location,
      fields: fixed.fields,
      warnings: this.#warnings(entry, state).length,
    };
  }

  #warnings(entry: TaskEntry, state: TaskState): string[] {
    const stats = entry.stats;
    if (!stats || state === "completed") return [];
    const out: string[] = [];
    const kind = entry.fields.get("kind");
    if (kind === "blocking" || kind === "block_on") return out;
    if (stats.wakes > 0n && (stats.selfWakes * 100n) / stats.wakes > 50n) out.push(`This task has woken itself for more than 50% of its wakes (${stats.selfWakes} of ${stats.wakes}).`);
    const polls = stats.pollStats?.polls ?? 0n;
    const woke = timestampToNanos(stats.lastWake);
    const started = timestampToNanos(stats.pollStats?.lastPollStarted);
    if (stats.wakerClones - stats.wakerDrops === 0n && state !== "running" && polls > 0n && !(woke !== undefined && started !== undefined && woke > started)) {
      out.push("This task has lost its waker, and will never be woken again.");
    }
    return out;
  }

  #taskRef(span: bigint): TaskRef {
    const row = this.#rows.get(span);
    if (!row) return { key: String(span), label: `task ${span}` };
    return { key: row.key, label: `task ${row.id}${row.name ? ` ${row.name}` : ""}` };
  }

  #resourceLabel(entry: ResourceEntry | undefined): string {
    if (!entry) return "unknown resource";
    return entry.attributes.get("insight.name") ?? `${entry.resource.concreteType} ${entry.displayId}`;
  }

  #waitLine(op: OpEntry): WaitLine {
    const resource = op.op.resourceId ? this.#store.resources.get(op.op.resourceId.id) : undefined;
    const holder = resource ? this.#store.holders.get(resource.spanId) : undefined;
    let reason = op.attributes.get("insight.reason") ?? reasonFromSource(op.op.source);
    if (!op.attributes.has("insight.reason") && holder !== undefined) {
      const row = this.#store.tasks.get(holder);
      reason += ` held by task ${row?.displayId ?? holder}`;
    }
    const meta = this.#store.metaOf(op.op.metadata);
    const location = locationText(meta?.location);
    const useful = location && !RUNTIME_INTERNAL.test(location) ? location : undefined;
    const file = meta?.location?.file;
    const line = meta?.location?.line;
    return {
      resourceKey: resource ? String(resource.spanId) : undefined,
      resourceLabel: this.#resourceLabel(resource),
      resourceType: resource?.resource.concreteType ?? "?",
      reason,
      awaitLocation: useful,
      awaitSource: op.attributes.get("insight.await_line") ?? (useful && file && line ? sourceLine(file, line) : undefined),
      direction: directionOf(op.op.source, reason),
    };
  }

  #spanOfTaskId(id: string): bigint | undefined {
    for (const entry of this.#store.tasks.values()) if (entry.displayId === id && !entry.stats?.droppedAt) return entry.spanId;
    return undefined;
  }

  #freers(entry: ResourceEntry): Freer[] {
    const owners = entry.attributes.get("insight.owners");
    if (owners !== undefined) {
      return parseOwners(owners, entry.resource.concreteType).flatMap(([role, id]) => {
        const span = this.#spanOfTaskId(id);
        return span === undefined ? [] : [{ task: this.#taskRef(span), role, inferred: false }];
      });
    }
    const holder = this.#store.holders.get(entry.spanId);
    return holder === undefined ? [] : [{ task: this.#taskRef(holder), role: "holder", inferred: true }];
  }

  #waitEdges(pending: readonly OpEntry[]): { edges: WaitEdge[]; info: Map<string, { op: OpEntry; role: string }> } {
    const edges: WaitEdge[] = [];
    const info = new Map<string, { op: OpEntry; role: string }>();
    for (const op of pending) {
      const from = this.#store.opTask(op);
      const resource = op.op.resourceId ? this.#store.resources.get(op.op.resourceId.id) : undefined;
      if (from === undefined || !resource) continue;
      const reason = op.attributes.get("insight.reason") ?? reasonFromSource(op.op.source);
      for (const freer of this.#freersForWait(resource, directionOf(op.op.source, reason))) {
        edges.push({ from, to: BigInt(freer.task.key), resource: resource.spanId });
        info.set(`${from}>${resource.spanId}`, { op, role: freer.role });
      }
    }
    return { edges, info };
  }

  /**
   * Called after every update: a cycle counts as confirmed only when two
   * consecutive updates both show it, and frames are drawn less often than
   * updates arrive, so this cannot wait for the next frame.
   */
  observe(): void {
    const { edges } = this.#waitEdges(this.#store.pendingOps());
    this.#confirmer.observe(this.#store.updates, findCycles(edges));
  }

  #findProblems(pending: readonly OpEntry[]): Problem[] {
    const { edges, info: edgeInfo } = this.#waitEdges(pending);
    const cycles = this.#confirmer.confirmed();
    const problems: Problem[] = cycles.map((cycle) => this.#cycleProblem(cycle, edges.filter((e) => cycle.includes(e.from) && cycle.includes(e.to)), edgeInfo));
    const warned = this.#rowList.filter((r) => r.warnings > 0 && r.state !== "completed");
    if (warned.length > 0) {
      problems.push({
        lint: "task-warnings",
        severity: "warning",
        summary: `${warned.length} task${warned.length === 1 ? " has" : "s have"} warnings (self-wakes, lost wakers)`,
        explanation: "tokio-console's lints: a task that mostly wakes itself, or one whose waker is gone and will never be woken.",
        docsPage: "docs/problems/",
        tasks: warned.map((r) => this.#problemTask(BigInt(r.key))),
      });
    }
    return problems;
  }

  #freersForWait(resource: ResourceEntry, direction: "send" | "recv" | undefined): Freer[] {
    const all = this.#freers(resource);
    if (direction === "send") return all.filter((f) => f.role.includes("receiver"));
    if (direction === "recv") return all.filter((f) => f.role.includes("sender"));
    return all;
  }

  #problemTask(span: bigint): ProblemTask {
    const row = this.#rows.get(span);
    return {
      task: this.#taskRef(span),
      kind: row?.kind ?? "task",
      id: row?.id ?? String(span),
      name: row?.name ?? "",
      attributes: [row?.fields, row?.location ? `spawned at ${row.location}` : ""].filter(Boolean).join("  "),
      waits: this.#waits.get(span) ?? [],
    };
  }

  #cycleProblem(cycle: readonly bigint[], edges: readonly WaitEdge[], info: Map<string, { op: OpEntry; role: string }>): Problem {
    const tasks = cycle.map((span) => this.#problemTask(span));
    const nodes: GraphNode[] = tasks.map((t) => ({ id: `task:${t.task.key}`, label: t.task.label, shape: "task" }));
    const graphEdges: GraphEdge[] = [];
    const seenResources = new Set<bigint>();
    for (const e of edges) {
      const resource = this.#store.resources.get(e.resource);
      const detail = info.get(`${e.from}>${e.resource}`);
      if (!seenResources.has(e.resource)) {
        seenResources.add(e.resource);
        nodes.push({ id: `resource:${e.resource}`, label: this.#resourceLabel(resource), shape: "resource" });
        graphEdges.push({ from: `task:${e.from}`, to: `resource:${e.resource}`, label: detail ? this.#waitLine(detail.op).reason : "waits" });
      }
      graphEdges.push({ from: `resource:${e.resource}`, to: `task:${e.to}`, label: detail?.role ?? "can free" });
    }
    const names = tasks.map((t) => t.task.label).join(", ");
    return {
      lint: "deadlock-cycle",
      severity: "error",
      summary: `deadlock cycle: ${names} wait on each other`,
      explanation: "Each task waits on a resource that only another task in the cycle can free, so none of them can ever continue.",
      docsPage: "docs/problems/deadlock-cycle.md",
      tasks,
      dot: () => toDot("deadlock cycle", nodes, graphEdges),
      mermaid: () => toMermaid(nodes, graphEdges),
    };
  }

  tasks(): readonly TaskRow[] {
    this.#refresh();
    return this.#rowList;
  }

  task(key: string): TaskDetail | undefined {
    this.#refresh();
    const span = BigInt(key);
    const row = this.#rows.get(span);
    const entry = this.#store.tasks.get(span);
    if (!row || !entry) return undefined;
    const stats = entry.stats;
    const parent = entry.task.parents[0]?.id;
    const woke = timestampToNanos(stats?.lastWake);
    const wokenBy = [...this.#store.ops.values()].filter((o) => this.#store.opTask(o) === span && o.attributes.has("insight.woken_by")).at(-1)?.attributes.get("insight.woken_by");
    return {
      row,
      parent: parent !== undefined ? this.#taskRef(parent) : undefined,
      waits: this.#waits.get(span) ?? [],
      wakers: {
        clones: stats?.wakerClones ?? 0n,
        drops: stats?.wakerDrops ?? 0n,
        wakes: stats?.wakes ?? 0n,
        selfWakes: stats?.selfWakes ?? 0n,
        wokenBy: wokenBy === undefined ? undefined : wokenBy === "0" ? "outside the runtime (I/O, timer, thread)" : `task ${wokenBy}`,
        lastWokenAgoNs: woke !== undefined && this.#store.nowNs >= woke ? this.#store.nowNs - woke : undefined,
      },
      warnings: this.#warnings(entry, row.state),
      fields: [...entry.fields].filter(([k]) => !HIDDEN_FIELDS.has(k)),
    };
  }

  #resourceRow(entry: ResourceEntry): ResourceRow {
    const waiting = [...this.#waits.values()].reduce((n, list) => n + list.filter((w) => w.resourceKey === String(entry.spanId)).length, 0);
    const parent = entry.resource.parentResourceId?.id;
    const kind = entry.resource.kind?.kind;
    const end = entry.droppedAt ?? this.#store.nowNs;
    return {
      key: String(entry.spanId),
      id: entry.displayId,
      parentId: parent ? (this.#store.resources.get(parent)?.displayId ?? "") : "",
      kind: kind?.case === "known" ? "Timer" : kind?.case === "other" ? kind.value : "",
      type: entry.resource.concreteType,
      name: entry.attributes.get("insight.name") ?? "",
      location: locationText(entry.resource.location),
      attributes: [...entry.attributes].filter(([k]) => !k.startsWith("insight.")).map(([k, v]) => `${k}=${v}`).join(" "),
      internal: entry.resource.isInternal,
      totalNs: entry.createdAt !== undefined && end > entry.createdAt ? end - entry.createdAt : 0n,
      waiting,
      dropped: entry.droppedAt !== undefined,
    };
  }

  resources(): readonly ResourceRow[] {
    this.#refresh();
    return [...this.#store.resources.values()].map((r) => this.#resourceRow(r));
  }

  resource(key: string): ResourceDetail | undefined {
    this.#refresh();
    const entry = this.#store.resources.get(BigInt(key));
    if (!entry) return undefined;
    const waiting = [...this.#waits].flatMap(([span, list]) => list.filter((w) => w.resourceKey === key).map((w) => ({ task: this.#taskRef(span), reason: w.reason })));
    const ops = [...this.#store.ops.values()].filter((o) => o.op.resourceId?.id === entry.spanId && !o.stats?.droppedAt);
    return {
      row: this.#resourceRow(entry),
      attributes: [...entry.attributes],
      waiting,
      freers: this.#freers(entry),
      asyncOps: ops.map((o) => {
        const task = this.#store.opTask(o);
        const created = timestampToNanos(o.stats?.createdAt);
        return {
          id: o.displayId,
          task: task !== undefined ? this.#taskRef(task) : undefined,
          source: o.op.source,
          totalNs: created !== undefined && this.#store.nowNs > created ? this.#store.nowNs - created : 0n,
          busyNs: durationToNanos(o.stats?.pollStats?.busyTime),
          polls: o.stats?.pollStats?.polls ?? 0n,
          attributes: [...o.attributes].map(([k, v]) => `${k}=${v}`).join(" "),
        };
      }),
    };
  }

  problems(): readonly Problem[] {
    this.#refresh();
    return this.#problems;
  }

  dropped() {
    return { ...this.#store.dropped };
  }
}
