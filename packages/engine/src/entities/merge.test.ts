import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toBinary } from "@bufbuild/protobuf";
import { UpdateSchema, lazyUpdateFromBinary } from "@async-insight/protocol";
import { RuntimeStore, mergeUpdates } from "../index.js";
import { MS, S, T0, UpdateBuilder } from "../testing/fixtures.js";

/**
 * Everything a UI reads from the store, except what is by definition about
 * observation rather than data: the sampled timelines, cycle confirmation,
 * `Freer.since` (when the engine first saw a role) and `WakeEdge.lastAt`
 * (the task's last wake as of when the edge was seen).
 */
function snapshot(store: RuntimeStore) {
  return {
    now: store.now,
    dropped: store.droppedEvents,
    tasks: store.tasks().map((t) => ({
      id: t.id,
      span: t.spanId,
      name: t.name,
      state: t.state,
      times: t.times,
      polls: t.polls,
      wakers: t.wakers,
      fields: t.fields,
      waits: store.waitsOf(t.id).map((w) => [w.asyncOp.id, w.reason, w.resource?.id]),
      wokenBy: store.wokenBy(t.id).map(({ lastAt: _observedAt, ...e }) => e),
    })),
    resources: store
      .resources()
      .map((r) => ({ id: r.id, label: r.label, attributes: r.attributes, freers: store.freersOf(r.id).map(({ since: _observedAt, ...f }) => f) })),
    ops: store.asyncOps().map((o) => ({ id: o.id, task: o.task, pending: o.pending, reason: o.reason })),
  };
}

const taskStats = fc.record({
  polls: fc.bigInt({ min: 0n, max: 5n }),
  started: fc.option(fc.bigInt({ min: 0n, max: 900n }), { nil: undefined }),
  ended: fc.option(fc.bigInt({ min: 0n, max: 900n }), { nil: undefined }),
  lastWake: fc.option(fc.bigInt({ min: 0n, max: 900n }), { nil: undefined }),
  wakes: fc.bigInt({ min: 0n, max: 9n }),
  clones: fc.bigInt({ min: 0n, max: 3n }),
});

const step = fc.record({
  stats: fc.array(fc.tuple(fc.integer({ min: 1, max: 4 }), taskStats), { maxLength: 4 }),
  owners: fc.option(fc.constantFrom("receiver:1", "receiver:2,sender:1", "holder:3", ""), { nil: undefined }),
  opTask: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
  wokenBy: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
  dropped: fc.bigInt({ min: 0n, max: 3n }),
  ready: fc.option(fc.boolean(), { nil: undefined }),
});

type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

function updatesFrom(steps: readonly Step[]) {
  const b = new UpdateBuilder();
  for (let i = 1n; i <= 4n; i++) b.task({ span: i, id: i * 10n, name: `t${i}` });
  b.resource({ span: 50n, type: "Channel" }).asyncOp({ span: 60n, source: "Channel::send", resource: 50n, file: "a.js", line: 3 });
  // Attribute lists are full snapshots on the wire: once an op is woken, later stats still say so.
  let wokenBy: bigint | undefined;
  let wokenTask: number | undefined;
  const last = new Map<number, { started?: bigint | undefined; ended?: bigint | undefined; lastWake?: bigint | undefined }>();
  return steps.map((s, k) => {
    const base = T0 + BigInt(k) * S;
    for (const [span, st] of s.stats) {
      // Timestamps only move forward: an absent one repeats the previous value.
      const prev = last.get(span) ?? {};
      const at = (v: bigint | undefined, before: bigint | undefined) => (v === undefined ? before : base + v * MS);
      const next = { started: at(st.started, prev.started), ended: at(st.ended, prev.ended), lastWake: at(st.lastWake, prev.lastWake) };
      last.set(span, next);
      b.taskStats(BigInt(span), { created: T0, polls: st.polls, ...next, wakes: st.wakes, clones: st.clones });
    }
    if (s.owners !== undefined) b.resourceStats(50n, { "insight.owners": s.owners, "insight.name": "chan" });
    // ...and a finished op keeps the task it finished for.
    const opTask = wokenTask ?? s.opTask;
    if (s.wokenBy !== undefined && opTask !== undefined && wokenBy === undefined) {
      wokenBy = BigInt(s.wokenBy);
      wokenTask = opTask;
    }
    if (opTask !== undefined) b.opStats(60n, BigInt(opTask), wokenBy !== undefined ? { "insight.woken_by": wokenBy } : {});
    // The subscriber changes an op's task only on a poll op, so every op stats change comes with one.
    if (opTask !== undefined) b.pollOp(50n, BigInt(opTask), 60n, s.ready ?? false);
    b.dropped({ tasks: s.dropped });
    return b.build(base + 999n * MS);
  });
}

describe("mergeUpdates", () => {
  it("property: the store ends the same whether updates arrive one by one or merged", () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 6 }), (steps) => {
        const updates = updatesFrom(steps);
        const one = new RuntimeStore({ retainForNs: null });
        for (const u of updates) one.applyUpdate(u);
        const merged = new RuntimeStore({ retainForNs: null });
        merged.applyUpdate(mergeUpdates(updates));
        expect(snapshot(merged)).toEqual(snapshot(one));
      }),
      { numRuns: 200 },
    );
  });
});

describe("lazy updates (the live client's form)", () => {
  it("property: the store ends exactly the same, timelines included, as with decoded updates", () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 6 }), fc.boolean(), (steps, merged) => {
        const decoded = merged ? [mergeUpdates(updatesFrom(steps))] : updatesFrom(steps);
        const a = new RuntimeStore();
        const b = new RuntimeStore();
        for (const u of decoded) {
          a.applyUpdate(u);
          b.applyUpdate(lazyUpdateFromBinary(toBinary(UpdateSchema, u)));
        }
        const full = (store: RuntimeStore) => ({
          ...snapshot(store),
          timelines: store.tasks().map((t) => store.timeline(t.id)),
          longPolls: store.longPolls(),
          wakeEdges: store.wakeEdges(),
          generation: store.generation,
        });
        expect(full(b)).toEqual(full(a));
      }),
      { numRuns: 200 },
    );
  });
});
