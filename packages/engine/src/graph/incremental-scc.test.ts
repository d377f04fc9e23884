import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { IncrementalSccs } from "./incremental-scc.js";

const key = (i: number) => `n${i}`;

/** Builds a graph from adjacency lists, optionally applying node edges in random batches. */
function build(adjacency: number[][], batches: number[][] = [adjacency.map((_, i) => i)]): IncrementalSccs {
  const g = new IncrementalSccs();
  for (const batch of batches) {
    for (const i of batch) g.setEdges(key(i), (adjacency[i] ?? []).map(key));
    g.update();
  }
  return g;
}

/** Random DAG: edges only go from lower to higher index. */
const dag = fc
  .integer({ min: 1, max: 40 })
  .chain((n) =>
    fc
      .array(fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { maxLength: 4 }), { minLength: n, maxLength: n })
      .map((lists) => lists.map((succ, i) => succ.filter((j) => j > i))),
  );

describe("IncrementalSccs", () => {
  it("finds a self-loop and a two-node cycle, closed", () => {
    const g = build([[0], [2], [1]]);
    const comps = [...g.components()].map((c) => [c.signature, c.closed]);
    expect(comps.sort()).toEqual([
      ["n0", true],
      ["n1 n2", true],
    ]);
  });

  it("marks a cycle with an exit as open", () => {
    const g = build([[1], [0, 2], []]);
    expect([...g.components()].map((c) => c.closed)).toEqual([false]);
  });

  it("drops a component when an edge breaks it, and re-finds it when restored", () => {
    const g = build([[1], [0]]);
    g.setEdges("n1", []);
    g.update();
    expect([...g.components()]).toEqual([]);
    g.setEdges("n1", ["n0"]);
    g.update();
    expect([...g.components()].map((c) => c.signature)).toEqual(["n0 n1"]);
  });

  it("property: no component is ever reported on an acyclic graph", () => {
    fc.assert(
      fc.property(dag, (adjacency) => {
        expect([...build(adjacency).components()]).toEqual([]);
      }),
    );
  });

  it("property: every planted cycle is found as a closed component", () => {
    fc.assert(
      fc.property(dag, fc.integer({ min: 1, max: 6 }), fc.nat(), (adjacency, length, seed) => {
        const base = adjacency.length;
        // Plant a fresh cycle whose only way out would be back into itself; the DAG may point into it.
        const cycle = Array.from({ length }, (_, k) => base + k);
        const full = [...adjacency.map((s) => [...s]), ...cycle.map((_v, k) => [cycle[(k + 1) % length]!])];
        full[seed % base]!.push(cycle[0]!);
        const g = build(full);
        const found = [...g.components()].find((c) => c.signature === cycle.map(key).sort().join(" "));
        expect(found?.closed).toBe(true);
      }),
    );
  });

  it("property: incremental updates agree with a from-scratch computation", () => {
    const graph = fc.integer({ min: 2, max: 25 }).chain((n) =>
      fc.record({
        first: fc.array(fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { maxLength: 3 }), { minLength: n, maxLength: n }),
        second: fc.array(fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { maxLength: 3 }), { minLength: n, maxLength: n }),
        changed: fc.uniqueArray(fc.integer({ min: 0, max: n - 1 })),
      }),
    );
    fc.assert(
      fc.property(graph, ({ first, second, changed }) => {
        const incremental = build(first);
        const final = first.map((s, i) => (changed.includes(i) ? second[i]! : s));
        for (const i of changed) incremental.setEdges(key(i), final[i]!.map(key));
        incremental.update();
        const scratch = build(final);
        const summary = (g: IncrementalSccs) => [...g.components()].map((c) => `${c.signature}:${c.closed}`).sort();
        expect(summary(incremental)).toEqual(summary(scratch));
      }),
      { numRuns: 500 },
    );
  });
});
