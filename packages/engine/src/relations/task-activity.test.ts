import { describe, expect, it } from "vitest";
import { taskActivity } from "../index.js";
import { MS, T0 } from "../testing/fixtures.js";
import { observeScene, resource, task, wait } from "../testing/scenario.js";

describe("one task-state vocabulary", () => {
  it("tells running, scheduled, blocked (a known wait), idle (none) and done apart", () => {
    const store = observeScene((b) => {
      task(b, 1n, "polling", "running");
      b.task({ span: 102n, id: 2n, name: "woken" }).taskStats(102n, {
        created: T0,
        polls: 1n,
        started: T0,
        ended: T0 + MS,
        lastWake: T0 + 2n * MS,
        clones: 1n,
      });
      task(b, 3n, "on-lock");
      task(b, 4n, "on-fetch");
      b.task({ span: 105n, id: 5n, name: "finished" }).taskStats(105n, { created: T0, dropped: T0 + MS, polls: 1n, started: T0, ended: T0 + MS });
      resource(b, 10n, "Mutex", "m", { locked: true, "insight.owners": "holder:1" });
      wait(b, 20n, "Mutex::lock", 10n, 3n);
    });
    expect(store.tasks().map((t) => [t.name, taskActivity(store, t)])).toEqual([
      ["polling", "running"],
      ["woken", "scheduled"],
      ["on-lock", "blocked"],
      ["on-fetch", "idle"],
      ["finished", "done"],
    ]);
  });

  it("gives each wait its freers with their certainty", () => {
    const store = observeScene((b) => {
      task(b, 1n, "holder");
      task(b, 2n, "consumer");
      task(b, 3n, "producer");
      resource(b, 10n, "Mutex", "m", { locked: true, "insight.owners": "holder:1" });
      resource(b, 11n, "Channel", "q", { capacity: 2n, len: 0n, "insight.owners": "receiver:2,sender:3,sender:1" });
      wait(b, 20n, "Mutex::lock", 10n, 2n);
      wait(b, 21n, "Channel::recv", 11n, 2n);
    });
    expect(store.waitsOf(2n).map((w) => store.waitFreers(w).map((f) => [w.resource?.label, f.task, f.certainty, f.label]))).toEqual([
      [["m", 1n, "certain", "lock holder (mutex)"]],
      [
        ["q", 3n, "possible", "one of 2 known senders (mpsc channel)"],
        ["q", 1n, "possible", "one of 2 known senders (mpsc channel)"],
      ],
    ]);
    expect(store.certainlyStuck(2n)).toBe(false);
  });
});
