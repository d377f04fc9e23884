import { describe, expect, it } from "vitest";
import { RuntimeStore } from "../store/store.js";
import { S, T0, UpdateBuilder } from "../testing/fixtures.js";
import { resource, task, wait } from "../testing/scenario.js";

/** ABBA on two mutexes with certain holders: a deadlock once it holds at two instants. */
function abba(b: UpdateBuilder): void {
  task(b, 1n, "transfer");
  task(b, 2n, "audit");
  resource(b, 10n, "Mutex", "ledger", { locked: true, "insight.owners": "holder:1" });
  resource(b, 11n, "Mutex", "journal", { locked: true, "insight.owners": "holder:2" });
  wait(b, 20n, "Mutex::lock", 11n, 1n);
  wait(b, 21n, "Mutex::lock", 10n, 2n);
}

describe("a snapshot split across several messages", () => {
  it("is one instant: its pieces never confirm each other's cycle", () => {
    const store = new RuntimeStore({ retainForNs: null });
    const b = new UpdateBuilder();
    abba(b);
    const at = T0 + 10n * S;
    const whole = b.build(at);
    // Three pieces of one snapshot carry the same `now`.
    store.applyUpdate(whole);
    store.applyUpdate(b.build(at));
    store.applyUpdate(b.build(at));
    expect(store.cycles()).toEqual([]);
    // The next publish, a second later, is a second instant.
    store.applyUpdate(b.build(at + S));
    expect(store.cycles().map((c) => c.tasks.map((t) => t.name))).toEqual([["transfer", "audit"]]);
  });
});
