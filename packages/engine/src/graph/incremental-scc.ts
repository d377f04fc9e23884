/**
 * Strongly connected components of a directed graph kept up to date as
 * nodes' out-edges change, at a cost proportional to what the changes can
 * reach rather than to the whole graph.
 *
 * Why this is exact: a new SCC that contains a changed node lies entirely
 * within the forward closure of the changed nodes; an old SCC that contained
 * one may have split, so its members join the closure too (and their
 * successors). Every successor of a node in the closure is in it, so
 * re-running Tarjan on the closure alone finds every SCC that could have
 * changed, and decides exactly whether each is "closed" (no edge leaves it).
 * SCCs outside the closure have no changed member, hence the same members
 * and the same out-edges.
 *
 * Closed SCCs are the wait-for graph's knots: when every node is "waiting
 * for any one of its successors", a closed non-trivial SCC can never make
 * progress, while an open one may still be rescued from outside.
 */

export interface Component {
  /** Sorted member keys joined by a space: a stable identity for the member set. */
  readonly signature: string;
  readonly members: readonly string[];
  /** No edge leaves the component. */
  readonly closed: boolean;
}

export class IncrementalSccs {
  readonly #index = new Map<string, number>();
  #keys: (string | undefined)[] = [];
  #succ: (number[] | undefined)[] = [];
  readonly #dirty = new Set<number>();
  /** node → signature of the non-trivial component it belongs to. */
  readonly #componentOf = new Map<number, string>();
  readonly #components = new Map<string, Component & { nodes: number[] }>();
  // Scratch space for Tarjan, stamped per run so no O(N) reset is needed.
  #stamp = new Int32Array(0);
  #order = new Int32Array(0);
  #low = new Int32Array(0);
  #onStack = new Uint8Array(0);
  #run = 0;

  get nodeCount(): number {
    return this.#index.size;
  }

  get edgeCount(): number {
    let n = 0;
    for (const s of this.#succ) n += s?.length ?? 0;
    return n;
  }

  has(key: string): boolean {
    return this.#index.has(key);
  }

  successors(key: string): string[] {
    const i = this.#index.get(key);
    if (i === undefined) return [];
    return (this.#succ[i] ?? []).map((j) => this.#keys[j]).filter((k): k is string => k !== undefined);
  }

  #node(key: string): number {
    let i = this.#index.get(key);
    if (i === undefined) {
      i = this.#keys.length;
      this.#index.set(key, i);
      this.#keys.push(key);
      this.#succ.push(undefined);
    }
    return i;
  }

  /** Replaces a node's out-edges. Setting none on an unknown node is a no-op. */
  setEdges(key: string, successors: readonly string[]): void {
    if (successors.length === 0) {
      const i = this.#index.get(key);
      if (i === undefined) return;
      if ((this.#succ[i]?.length ?? 0) === 0) return;
      this.#succ[i] = undefined;
      this.#dirty.add(i);
      return;
    }
    const i = this.#node(key);
    const next = successors.map((s) => this.#node(s));
    const prev = this.#succ[i];
    if (prev && sameEdges(prev, next)) return;
    this.#succ[i] = next;
    this.#dirty.add(i);
  }

  /**
   * Forgets a node: its out-edges go, and its key no longer resolves. Slots
   * are never reused, so stale in-edges from unchanged nodes stay harmless
   * (they point at a node with no out-edges, which closes nothing).
   */
  remove(key: string): void {
    const i = this.#index.get(key);
    if (i === undefined) return;
    this.setEdges(key, []);
    this.#dirty.add(i);
    this.#index.delete(key);
  }

  get dirty(): boolean {
    return this.#dirty.size > 0;
  }

  /** Non-trivial components (a cycle, or a self-loop), current as of the last `update`. */
  components(): Iterable<Component> {
    return this.#components.values();
  }

  /** Recomputes what the pending changes can affect; returns how many nodes were visited. */
  update(): number {
    if (this.#dirty.size === 0) return 0;
    const n = this.#keys.length;
    if (this.#stamp.length < n) this.#grow(n);
    const run = ++this.#run;
    // Forward closure of the dirty nodes, widened by every old component it
    // touches: a member whose path back was cut is no longer reachable from
    // the change, yet its component must be recomputed.
    const closure: number[] = [];
    const stamp = this.#stamp;
    const add = (v: number): void => {
      if (stamp[v] === run) return;
      stamp[v] = run;
      closure.push(v);
    };
    for (const d of this.#dirty) add(d);
    this.#dirty.clear();
    for (let k = 0; k < closure.length; k++) {
      const v = closure[k]!;
      const sig = this.#componentOf.get(v);
      if (sig !== undefined) {
        const comp = this.#components.get(sig);
        this.#components.delete(sig);
        if (comp) {
          for (const m of comp.nodes) {
            this.#componentOf.delete(m);
            add(m);
          }
        }
      }
      const succ = this.#succ[v];
      if (succ) for (const s of succ) add(s);
    }
    this.#tarjan(closure, run);
    return closure.length;
  }

  #grow(n: number): void {
    const size = Math.max(n, this.#stamp.length * 2, 64);
    const grow = <T extends Int32Array | Uint8Array>(old: T, make: (s: number) => T): T => {
      const next = make(size);
      next.set(old);
      return next;
    };
    this.#stamp = grow(this.#stamp, (s) => new Int32Array(s));
    this.#order = grow(this.#order, (s) => new Int32Array(s));
    this.#low = grow(this.#low, (s) => new Int32Array(s));
    this.#onStack = grow(this.#onStack, (s) => new Uint8Array(s));
  }

  /** Iterative Tarjan over the closure (stamp === run marks membership; order 0 = unvisited). */
  #tarjan(closure: readonly number[], run: number): void {
    const order = this.#order;
    const low = this.#low;
    const onStack = this.#onStack;
    for (const v of closure) order[v] = 0;
    let counter = 0;
    const stack: number[] = [];
    const callNode: number[] = [];
    const callEdge: number[] = [];
    for (const root of closure) {
      if (order[root] !== 0) continue;
      callNode.push(root);
      callEdge.push(0);
      order[root] = low[root] = ++counter;
      stack.push(root);
      onStack[root] = 1;
      while (callNode.length > 0) {
        const top = callNode.length - 1;
        const v = callNode[top]!;
        const succ = this.#succ[v];
        const e = callEdge[top]!;
        if (succ && e < succ.length) {
          callEdge[top] = e + 1;
          const w = succ[e]!;
          if (this.#stamp[w] !== run) continue;
          if (order[w] === 0) {
            order[w] = low[w] = ++counter;
            stack.push(w);
            onStack[w] = 1;
            callNode.push(w);
            callEdge.push(0);
          } else if (onStack[w] === 1 && order[w]! < low[v]!) {
            low[v] = order[w]!;
          }
          continue;
        }
        callNode.pop();
        callEdge.pop();
        if (callNode.length > 0) {
          const parent = callNode[callNode.length - 1]!;
          if (low[v]! < low[parent]!) low[parent] = low[v]!;
        }
        if (low[v] === order[v]) {
          const members: number[] = [];
          let w: number;
          do {
            w = stack.pop()!;
            onStack[w] = 0;
            members.push(w);
          } while (w !== v);
          this.#record(members);
        }
      }
    }
  }

  #record(nodes: number[]): void {
    if (nodes.length === 1) {
      const only = nodes[0]!;
      if (!(this.#succ[only] ?? []).includes(only)) return;
    }
    const inside = new Set(nodes);
    let closed = true;
    for (const v of nodes) {
      for (const w of this.#succ[v] ?? []) {
        if (!inside.has(w)) {
          closed = false;
          break;
        }
      }
      if (!closed) break;
    }
    const members = nodes.map((v) => this.#keys[v] ?? `#${v}`).sort();
    const signature = members.join(" ");
    this.#components.set(signature, { signature, members, closed, nodes });
    for (const v of nodes) this.#componentOf.set(v, signature);
  }
}

function sameEdges(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
