import { RuntimeStore } from "@async-insight/engine";
import { describe, expect, it } from "vitest";
import { likelyDeadlockUpdates, selfSendUpdates } from "../tui/testing/story-updates.js";
import { lintProblems, resourceDetail } from "./engine-view.js";

function storeOf(updates: ReturnType<typeof selfSendUpdates>): RuntimeStore {
  const store = new RuntimeStore();
  for (const u of updates) store.applyUpdate(u);
  return store;
}

describe("web problems say what a deadlock verdict rests on", () => {
  it("a proven deadlock rests on the proof", () => {
    const deadlock = lintProblems(storeOf(selfSendUpdates(true))).find((p) => p.lint === "deadlock-cycle");
    expect(deadlock?.severity).toBe("error");
    expect(deadlock?.evidence).toBe("proven: nothing still able to run can wake these tasks (garbage-collection proof or lost wakers)");
  });

  it("a likely deadlock is a warning that says it is not proven; other lints carry no evidence line", () => {
    const problems = lintProblems(storeOf(likelyDeadlockUpdates()));
    // One blocked-on-full-channel finding per blocked sender, and the one likely deadlock.
    expect(problems.map((p) => [p.lint, p.severity, p.evidence]).sort()).toEqual([
      ["blocked-on-full-channel", "warning", undefined],
      ["blocked-on-full-channel", "warning", undefined],
      ["likely-deadlock", "warning", "likely, not proven: counts only the tasks known to use each end; other code could still free it"],
    ]);
  });
});

describe("web resource details", () => {
  it("say when the target proved the resource unreachable, and only then", () => {
    const channelOf = (store: RuntimeStore) => resourceDetail(store, store.resources().find((r) => r.label === "prototype_channel")!.id);
    expect(channelOf(storeOf(selfSendUpdates(false)))?.unreachable).toBeUndefined();
    const proven = channelOf(storeOf(selfSendUpdates(true)));
    expect(proven?.unreachable).toBe(true);
    expect(proven?.freers.map((f) => [f.taskLabel, f.role, f.certain])).toEqual([["task 4 process-jobs", "sole sender (mpsc channel)", true]]);
  });
});
