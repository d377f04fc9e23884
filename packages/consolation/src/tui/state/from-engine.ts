/**
 * Answers the terminal views' questions (RuntimeView) from @async-insight/engine's
 * RuntimeStore. Keys are the engine's display ids (`task.id` where the
 * target sends one), as decimal strings, so they stay stable while span ids
 * are reused.
 *
 * Everything a frame reads is computed at most once per store generation:
 * frames are drawn more often than updates arrive, and at 10k tasks the rows
 * and the lints are the main cost.
 */
import {
  cycleView,
  lintDefinition,
  LONG_FIELD_WIDTH,
  runLints,
  safeText,
  toDot,
  toMermaid,
  type LintConfig,
  type Problem as EngineProblem,
  type ResourceRecord,
  RuntimeStore,
  type StoreOptions,
  type TaskRecord,
  capacityPairs,
} from "@async-insight/engine";
import type { Update, tasks } from "@async-insight/protocol";
import { displayLocation } from "../../format/location.js";
import { attributePairs, fieldPairs, pairsText, taskIdAndNameById, wokenByText } from "../../wording/task-text.js";
import { WaitIndex } from "../../wording/wait-index.js";
import type { ViewStore } from "./view-store.js";
import { fixedText, LiveTaskRow, type FixedText } from "./live-task-row.js";
import { waitLine } from "./wait-line.js";
import { safePairs, textOrUndefined } from "./view-text.js";
import { cycleBasisText } from "../../wording/cycle-basis-text.js";
import type {
  AsyncOpRow,
  ShownFreer,
  ShownProblem,
  ProblemTask,
  ResourceDetail,
  ResourceRow,
  RuntimeView,
  TaskDetail,
  TaskLink,
  TaskRow,
} from "./view-model.js";

/** A lint that fires for thousands of tasks lists the first few; the count says how many. */
const TASKS_PER_PROBLEM = 50;

/** Computed once per store generation. */
interface Frame {
  readonly generation: number;
  readonly waits: WaitIndex;
  readonly rows: Map<bigint, TaskRow>;
  readonly rowList: TaskRow[];
  readonly lintProblems: EngineProblem[];
  readonly warningsByTask: Map<bigint, string[]>;
  problems?: ShownProblem[];
}

class EngineView implements RuntimeView {
  readonly #store: RuntimeStore;
  #frame: Frame | undefined;
  /** Rows live as long as their task and are refreshed in place: rebuilding 10k of them per update kept the collector busy. */
  readonly #rows = new Map<bigint, LiveTaskRow>();
  /** Fixed texts of tasks that have no row yet (see fixedText). */
  readonly #fixed = new WeakMap<TaskRecord, FixedText>();

  constructor(
    store: RuntimeStore,
    private readonly lints: LintConfig,
  ) {
    this.#store = store;
  }

  #current(): Frame {
    const generation = this.#store.generation;
    if (this.#frame?.generation === generation) return this.#frame;
    const all = this.#store.tasks();
    const waits = new WaitIndex(this.#store, all);
    const lintProblems = runLints(this.#store, this.lints);
    const warningsByTask = new Map<bigint, string[]>();
    for (const problem of lintProblems) {
      // Once per problem, not per task: a long poll names thousands of starved tasks, and a copy each was megabytes.
      const message = safeText(problem.message, LONG_FIELD_WIDTH);
      for (const task of problem.tasks) {
        const list = warningsByTask.get(task);
        if (list) list.push(message);
        else warningsByTask.set(task, [message]);
      }
    }
    // One map for the view's life, pruned of tasks the store let go: a fresh 10k-entry map per update was garbage too.
    const rows = this.#rows;
    const rowList: LiveTaskRow[] = [];
    for (const task of all) {
      let row = rows.get(task.id);
      if (!row) rows.set(task.id, (row = new LiveTaskRow(task, this.#fixed.get(task) ?? fixedText(task), this.#store)));
      row.refresh(task, warningsByTask.get(task.id)?.length ?? 0);
      row.generation = generation;
      rowList.push(row);
    }
    if (rows.size > rowList.length) for (const [id, row] of rows) if (row.generation !== generation) rows.delete(id);
    this.#frame = { generation, waits, rows, rowList, lintProblems, warningsByTask };
    return this.#frame;
  }

  /** A task with a row keeps its text there; the cache holds it only for tasks without one (named by a problem first). */
  #fixedOf(task: TaskRecord): FixedText {
    const row = this.#rows.get(task.id);
    if (row) return row;
    let fixed = this.#fixed.get(task);
    if (!fixed) this.#fixed.set(task, (fixed = fixedText(task)));
    return fixed;
  }

  #taskRef(id: bigint): TaskLink {
    return { key: String(id), label: safeText(taskIdAndNameById(this.#store, id)) };
  }

  #problemTask(id: bigint, waits: WaitIndex): ProblemTask {
    const task = this.#store.task(id);
    const fixed = task ? this.#fixedOf(task) : undefined;
    return {
      task: this.#taskRef(id),
      kind: fixed?.kind ?? "task",
      id: String(id),
      name: fixed?.name ?? "",
      attributes: [fixed?.fields, fixed?.location ? `spawned at ${fixed.location}` : ""].filter(Boolean).join("  "),
      waits: waits.waitsOf(id).map((w) => waitLine(w, this.#store)),
    };
  }

  /** Each deadlock cycle on its own; every other lint as one entry listing the tasks it names. */
  #problems(frame: Frame): ShownProblem[] {
    const out: ShownProblem[] = [];
    const byLint = new Map<string, EngineProblem[]>();
    for (const problem of frame.lintProblems) {
      if (problem.cycle) {
        const view = cycleView(problem.cycle);
        out.push({
          lint: problem.lint,
          severity: problem.severity,
          summary: safeText(problem.message, LONG_FIELD_WIDTH),
          explanation: lintDefinition(problem.lint)?.explanation ?? "",
          docsPage: problem.docsPath,
          evidence: safeText(cycleBasisText(problem.cycle.basis), LONG_FIELD_WIDTH),
          tasks: problem.cycle.tasks.map((t) => this.#problemTask(t.id, frame.waits)),
          dot: () => toDot(view, { name: "deadlock cycle" }),
          mermaid: () => toMermaid(view),
        });
        continue;
      }
      const list = byLint.get(problem.lint);
      if (list) list.push(problem);
      else byLint.set(problem.lint, [problem]);
    }
    for (const [lint, problems] of byLint) {
      const definition = lintDefinition(lint);
      const first = problems[0]!;
      const tasks = [...new Set(problems.flatMap((p) => p.tasks))].slice(0, TASKS_PER_PROBLEM);
      out.push({
        lint,
        severity: first.severity,
        summary: problems.length === 1 || !definition ? safeText(first.message, LONG_FIELD_WIDTH) : `${problems.length} ${definition.summary}`,
        explanation: definition?.explanation ?? "",
        docsPage: first.docsPath,
        tasks: tasks.map((id) => this.#problemTask(id, frame.waits)),
      });
    }
    return out;
  }

  tasks(): readonly TaskRow[] {
    return this.#current().rowList;
  }

  task(key: string): TaskDetail | undefined {
    const frame = this.#current();
    const id = parseKey(key);
    const task = id === undefined ? undefined : this.#store.task(id);
    const row = id === undefined ? undefined : frame.rows.get(id);
    if (!task || !row) return undefined;
    const parent = task.parents[0];
    const now = this.#store.now;
    const lastWake = task.wakers.lastWake;
    return {
      row,
      parent: parent !== undefined ? this.#taskRef(parent) : undefined,
      waits: frame.waits.waitsOf(task.id).map((w) => waitLine(w, this.#store)),
      wakers: {
        clones: task.wakers.clones,
        drops: task.wakers.drops,
        wakes: task.wakers.wakes,
        selfWakes: task.wakers.selfWakes,
        wokenBy: textOrUndefined(wokenByText(this.#store, task)),
        lastWokenAgoNs: lastWake !== undefined && now !== undefined && now >= lastWake ? now - lastWake : undefined,
      },
      warnings: frame.warningsByTask.get(task.id) ?? [],
      fields: safePairs(fieldPairs(task)),
    };
  }

  #resourceRow(resource: ResourceRecord, waits: WaitIndex): ResourceRow {
    const end = resource.droppedAt ?? this.#store.now;
    return {
      key: String(resource.id),
      id: String(resource.id),
      parentId: resource.parent !== undefined ? String(resource.parent) : "",
      kind: resource.kind,
      type: safeText(resource.concreteType),
      name: safeText(resource.name ?? ""),
      location: resource.location ? safeText(displayLocation(resource.location), LONG_FIELD_WIDTH) : "",
      attributes: safeText(pairsText([...capacityPairs(resource), ...attributePairs(resource.attributes)]), LONG_FIELD_WIDTH),
      internal: resource.visibility === "internal",
      totalNs: resource.createdAt !== undefined && end !== undefined && end > resource.createdAt ? end - resource.createdAt : 0n,
      waiting: waits.waitersOf(resource.id).length,
      dropped: resource.dropped,
    };
  }

  resources(): readonly ResourceRow[] {
    const { waits } = this.#current();
    return this.#store.resources().map((r) => this.#resourceRow(r, waits));
  }

  resource(key: string): ResourceDetail | undefined {
    const { waits } = this.#current();
    const id = parseKey(key);
    const resource = id === undefined ? undefined : this.#store.resource(id);
    if (!resource) return undefined;
    const now = this.#store.now;
    const all = this.#store.asyncOpsOf(resource.id);
    // Finished waits (woken, ready, dropped) are history: a busy channel finishes thousands. Only pending ones are shown.
    const pending = all.filter((op) => op.pending);
    const asyncOps: AsyncOpRow[] = pending.map((op) => ({
      id: String(op.id),
      task: op.task !== undefined ? this.#taskRef(op.task) : undefined,
      source: safeText(op.source),
      totalNs: op.createdAt !== undefined && now !== undefined && now > op.createdAt ? now - op.createdAt : 0n,
      busyNs: op.busy,
      polls: op.polls,
      attributes: safeText(pairsText(attributePairs(op.attributes)), LONG_FIELD_WIDTH),
    }));
    const freers: ShownFreer[] = this.#store.freersOf(resource.id).map((f) => ({
      task: this.#taskRef(f.task),
      role: safeText(f.count > 1 ? `${f.label} ×${f.count}` : f.label),
      freerRole: f.role,
      certain: f.certainty === "certain",
      inferred: f.inferred,
    }));
    return {
      row: this.#resourceRow(resource, waits),
      // The name and owners have their own lines; insight's other keys are bookkeeping, except what a
      // library resource says of itself (library, capacity, in use, pending, timeout).
      attributes: safePairs([...capacityPairs(resource), ...attributePairs(resource.attributes).filter(([k]) => !k.startsWith("insight."))]),
      waiting: waits.waitersOf(resource.id).map((w) => ({ task: this.#taskRef(w.task), reason: safeText(w.reason, LONG_FIELD_WIDTH) })),
      freers,
      unreachable: resource.unreachable,
      asyncOps,
      finishedOps: all.length - pending.length,
    };
  }

  problems(): readonly ShownProblem[] {
    const frame = this.#current();
    return (frame.problems ??= this.#problems(frame));
  }

  dropped() {
    return this.#store.droppedEvents;
  }
}

function parseKey(key: string): bigint | undefined {
  return /^\d+$/.test(key) ? BigInt(key) : undefined;
}

/** The terminal's ViewStore: an engine store, read through EngineView, with the lint levels the user chose. */
export class EngineViewStore implements ViewStore {
  #store: RuntimeStore;
  #view: EngineView;

  constructor(
    private readonly options: StoreOptions = {},
    private readonly lints: LintConfig = {},
  ) {
    this.#store = new RuntimeStore(options);
    this.#view = new EngineView(this.#store, lints);
  }

  get store(): RuntimeStore {
    return this.#store;
  }

  applyUpdate(update: Update): void {
    this.#store.applyUpdate(update);
  }

  applyTaskDetails(details: tasks.TaskDetails): void {
    this.#store.applyTaskDetails(details);
  }

  taskCreatedAt(spanId: string): bigint | undefined {
    return /^\d+$/.test(spanId) ? this.#store.taskBySpanId(BigInt(spanId))?.createdAt : undefined;
  }

  reset(): void {
    this.#store = new RuntimeStore(this.options);
    this.#view = new EngineView(this.#store, this.lints);
  }

  view(): RuntimeView {
    return this.#view;
  }
}

export function createEngineViewStore(options?: StoreOptions, lints?: LintConfig): EngineViewStore {
  return new EngineViewStore(options, lints);
}
