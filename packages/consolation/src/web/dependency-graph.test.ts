import { RuntimeStore } from "@async-insight/engine";
import { describe, expect, it } from "vitest";
import { likelyDeadlockUpdates, selfSendUpdates } from "@async-insight/engine/testing";
import { buildGraph } from "./dependency-graph.js";

function storeOf(updates: ReturnType<typeof selfSendUpdates>): RuntimeStore {
  const store = new RuntimeStore();
  for (const u of updates) store.applyUpdate(u);
  return store;
}

const edgeText = (store: RuntimeStore) =>
  buildGraph(store)
    .edges.map((e) => `${e.from} -${e.relation}:${e.label}-> ${e.to}${e.inCycle ? " (cycle)" : ""}`)
    .sort();

describe("the web dependency graph marks only confirmed deadlocks", () => {
  it("leaves a likely deadlock unmarked: nothing in red", () => {
    const graph = buildGraph(storeOf(likelyDeadlockUpdates()));
    expect(graph.nodes.filter((n) => n.inCycle)).toEqual([]);
    expect(graph.edges.filter((e) => e.inCycle)).toEqual([]);
  });

  it("before the proof, the story's self-send is a plain wait with no one to free it", () => {
    const store = storeOf(selfSendUpdates(false));
    expect(edgeText(store)).toEqual([`t:${taskKey(store)} -waits:send: waiting on channel capacity-> r:${channelKey(store)}`]);
  });

  it("after the proof, draws task → prototype_channel → task (its sole sender) in red", () => {
    const store = storeOf(selfSendUpdates(true));
    const [t, r] = [taskKey(store), channelKey(store)];
    expect(edgeText(store)).toEqual([
      `r:${r} -frees:sole sender (mpsc channel)-> t:${t} (cycle)`,
      `t:${t} -waits:send: waiting on channel capacity-> r:${r} (cycle)`,
    ]);
    expect(
      buildGraph(store)
        .nodes.filter((n) => n.inCycle)
        .map((n) => n.label)
        .sort(),
    ).toEqual(["prototype_channel", "task 4 process-jobs"]);
  });
});

function taskKey(store: RuntimeStore): string {
  return String(store.tasks().find((t) => t.name === "process-jobs")!.id);
}

function channelKey(store: RuntimeStore): string {
  return String(store.resources().find((r) => r.label === "prototype_channel")!.id);
}
