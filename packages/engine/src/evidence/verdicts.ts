/**
 * The engine's stuck verdicts, computed once per store generation and read
 * by every lint and view: which tasks can never make progress and on what
 * grounds, which only likely cannot, and which are merely downstream of a
 * problem already told.
 */
import type { DeadlockCycle, DisplayId, NeverWokenVerdict, StuckVerdicts } from "../model.js";
import { waitsOf, type EntityIndex } from "../relations/waits.js";
import type { TaskEntity } from "../entities/task-entity.js";
import { blockedBehind } from "./blocked-behind.js";
import { doomOf } from "./doomed-waits.js";
import { provenAnalysis } from "./proven-groups.js";

export interface VerdictInput {
  readonly index: EntityIndex;
  /** Confirmed closed cycles of the wait-for graph (certain and likely). */
  readonly graphCycles: readonly DeadlockCycle[];
  /** Tasks certainly stuck at two updates. */
  readonly stuck: readonly TaskEntity[];
  /** Tasks certainly stuck now, confirmed or not (their verdict is the proof's, not a doomed wait's). */
  readonly stuckIds: ReadonlySet<DisplayId>;
  /** Every task with pending ops (for the doomed-wait check). */
  readonly waiting: Iterable<TaskEntity>;
  readonly updates: number;
}

export function computeVerdicts(input: VerdictInput): StuckVerdicts {
  const { index, updates } = input;
  const certain = input.graphCycles.filter((c) => c.basis === "certain");
  const covered = new Set<DisplayId>(certain.flatMap((c) => c.tasks.map((t) => t.id)));
  const proven = provenAnalysis(index, input.stuck, covered, (wait) => doomOf(index, wait, updates));
  const waiting = [...input.waiting];
  const blocked = blockedBehind(index, certain, waiting, new Set([...proven.downstream, ...input.stuckIds]));
  const downstream = new Set<DisplayId>([...proven.downstream, ...[...blocked.values()].flat()]);
  const told = certain.map((c) => (blocked.has(c.id) ? { ...c, blocked: blocked.get(c.id) } : c));
  const cycles = [...told, ...proven.groups].sort((a, b) => (a.id < b.id ? -1 : 1));
  const named = new Set<DisplayId>(cycles.flatMap((c) => c.tasks.map((t) => t.id)));
  const neverWoken: NeverWokenVerdict[] = [...proven.neverWoken];
  for (const verdict of neverWoken) named.add(verdict.task);
  for (const task of waiting) {
    if (task.state !== "idle" || named.has(task.id) || downstream.has(task.id) || input.stuckIds.has(task.id)) continue;
    const waits = waitsOf(index, task);
    if (waits.length === 0) continue;
    const reasons: string[] = [];
    for (const wait of waits) {
      const doom = doomOf(index, wait, updates);
      if (doom === undefined) break;
      reasons.push(doom);
    }
    if (reasons.length < waits.length) continue;
    named.add(task.id);
    neverWoken.push({ task: task.id, waits, basis: "doomed", reasons });
  }
  neverWoken.sort((a, b) => (a.task < b.task ? -1 : 1));
  const likely = input.graphCycles.filter((c) => c.basis === "likely" && !c.tasks.every((t) => named.has(t.id) || downstream.has(t.id)));
  return { cycles, likely, neverWoken, downstream, named };
}
