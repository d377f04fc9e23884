/**
 * The wait-for graph between tasks (T waits on a resource only U can free:
 * edge T → U) and its cycles, found as strongly connected components. A cycle
 * is reported only once it has been seen in two consecutive updates, so a
 * transient wait never raises an alarm. Stand-in for the engine's detector.
 */

export interface WaitEdge {
  readonly from: bigint;
  readonly to: bigint;
  readonly resource: bigint;
}

/** Tarjan's algorithm; returns components that are cycles (size > 1, or a self-loop). */
export function findCycles(edges: readonly WaitEdge[]): bigint[][] {
  const out = new Map<bigint, bigint[]>();
  for (const e of edges) {
    if (!out.has(e.from)) out.set(e.from, []);
    out.get(e.from)!.push(e.to);
  }
  const index = new Map<bigint, number>();
  const low = new Map<bigint, number>();
  const onStack = new Set<bigint>();
  const stack: bigint[] = [];
  const cycles: bigint[][] = [];
  let next = 0;
  const visit = (v: bigint) => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of out.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: bigint[] = [];
      let w: bigint;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      const selfLoop = component.length === 1 && (out.get(v) ?? []).includes(v);
      if (component.length > 1 || selfLoop) cycles.push(component.sort((a, b) => (a < b ? -1 : 1)));
    }
  };
  for (const v of out.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

/** Remembers which cycles were seen last update, and reports those seen twice running. */
export class CycleConfirmer {
  #previous = new Set<string>();
  #confirmed: bigint[][] = [];
  #lastUpdate = -1;

  observe(update: number, cycles: readonly bigint[][]): bigint[][] {
    if (update === this.#lastUpdate) return this.#confirmed;
    this.#lastUpdate = update;
    const keys = new Set(cycles.map((c) => c.join(",")));
    this.#confirmed = cycles.filter((c) => this.#previous.has(c.join(",")));
    this.#previous = keys;
    return this.#confirmed;
  }

  confirmed(): bigint[][] {
    return this.#confirmed;
  }
}
