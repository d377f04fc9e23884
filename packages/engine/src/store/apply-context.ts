/** Options resolved to concrete values, shared by the store's appliers. */
import type { Nanos, StoreOptions } from "../model.js";

export interface ResolvedStoreOptions {
  readonly retainForNs: Nanos | null;
  readonly timelineCapacity: number;
  /** No capacity was asked for: timelines shrink as tasks grow in number (see timelineCapacityFor). */
  readonly timelineAdaptive: boolean;
  readonly notablePollNs: Nanos;
  readonly notablePollCapacity: number;
}

export const DEFAULT_RETAIN_NS = 6_000_000_000n;
export const DEFAULT_TIMELINE_CAPACITY = 64;
/** Timeline entries kept across all tasks by default: 64 each up to 5,000 tasks, ~5 MB (16 bytes an entry). */
const TIMELINE_BUDGET = 320_000;
/** ...but never fewer than this per task: about five updates' worth of polls and wakes. */
const MIN_TIMELINE_CAPACITY = 16;

/**
 * Entries a new timeline may hold when the store has `tasks` tasks. An
 * explicit `timelineCapacity` is kept as asked; by default the total is
 * bounded, so 100k tasks do not keep 100k full timelines (100 MB).
 */
export function timelineCapacityFor(options: ResolvedStoreOptions, tasks: number): number {
  if (!options.timelineAdaptive) return options.timelineCapacity;
  const share = Math.floor(TIMELINE_BUDGET / Math.max(1, tasks));
  return Math.max(MIN_TIMELINE_CAPACITY, Math.min(options.timelineCapacity, share));
}

export function resolveStoreOptions(options: StoreOptions = {}): ResolvedStoreOptions {
  return {
    retainForNs: options.retainForNs === undefined ? DEFAULT_RETAIN_NS : options.retainForNs,
    timelineCapacity: options.timelineCapacity ?? DEFAULT_TIMELINE_CAPACITY,
    timelineAdaptive: options.timelineCapacity === undefined,
    notablePollNs: options.notablePollNs ?? 10_000_000n,
    notablePollCapacity: options.notablePollCapacity ?? 256,
  };
}
