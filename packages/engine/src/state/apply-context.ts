/** Options resolved to concrete values, shared by the store's appliers. */
import type { Nanos, StoreOptions } from "../model.js";

export interface ResolvedOptions {
  readonly retainForNs: Nanos | null;
  readonly timelineCapacity: number;
  readonly notablePollNs: Nanos;
  readonly notablePollCapacity: number;
}

export const DEFAULT_RETAIN_NS = 6_000_000_000n;

export function resolveOptions(options: StoreOptions = {}): ResolvedOptions {
  return {
    retainForNs: options.retainForNs === undefined ? DEFAULT_RETAIN_NS : options.retainForNs,
    timelineCapacity: options.timelineCapacity ?? 64,
    notablePollNs: options.notablePollNs ?? 10_000_000n,
    notablePollCapacity: options.notablePollCapacity ?? 256,
  };
}
