import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { RuntimeStore, cycleView, escapeDot, escapeMermaid, neighbourhoodView, toChromeTrace, toDot, toMermaid, wholeGraphView } from "../index.js";
import { MS, S, T0, UpdateBuilder } from "../testing/fixtures.js";
import { STORY_TASK_ID, storyProvenUpdates, storyUpdates } from "../testing/story.js";

const DOT = "/usr/bin/dot";

/** Renders with Debian's Graphviz; throws (failing the test) if it rejects the input. */
function renderSvg(dot: string): string {
  return execFileSync(DOT, ["-Tsvg"], { input: dot, encoding: "utf8" });
}

function storyStore(proven = false): RuntimeStore {
  const store = new RuntimeStore();
  for (const u of storyUpdates()) store.applyUpdate(u);
  if (proven) for (const u of storyProvenUpdates()) store.applyUpdate(u);
  return store;
}

describe("DOT and Mermaid", () => {
  it("renders the story cycle as task -> prototype_channel -> task", () => {
    const [cycle] = storyStore(true).cycles();
    const view = cycleView(cycle!);
    expect(toMermaid(view)).toBe(
      [
        "graph TD",
        '  t4(("process-jobs"))',
        '  r1["prototype_channel"]',
        '  t4 -- "send: waiting on channel capacity" --> r1',
        '  r1 -- "sole sender (mpsc channel)" --> t4',
        "",
      ].join("\n"),
    );
    const dot = toDot(view);
    expect(dot).toContain('"t4" -> "r1" [label="send: waiting on channel capacity"]');
    expect(dot).toContain('"r1" -> "t4" [label="sole sender (mpsc channel)"]');
    expect(existsSync(DOT)).toBe(true);
    expect(renderSvg(dot)).toContain("prototype_channel");
  });

  it("escapes hostile user names in both formats", () => {
    const nasty = 'a"b\\c\n} digraph x { <script>#1';
    const store = new RuntimeStore();
    const b = new UpdateBuilder()
      .task({ span: 1n, id: 1n, name: nasty })
      .taskStats(1n, { created: T0, polls: 1n, started: T0, ended: T0 + MS })
      .resource({ span: 2n, type: "Channel" })
      .resourceStats(2n, { "insight.name": nasty, "insight.owners": "receiver:1" })
      .asyncOp({ span: 3n, source: "Channel::send", resource: 2n })
      .opStats(3n, 1n, { "insight.reason": nasty });
    store.applyUpdate(b.build(T0 + S));
    store.applyUpdate(b.build(T0 + 2n * S));
    const view = cycleView(store.cycles()[0]!);
    const dot = toDot(view);
    expect(dot).toContain(escapeDot(nasty));
    const svg = renderSvg(dot);
    expect(svg).toContain("&lt;script&gt;");
    const mermaid = toMermaid(view);
    expect(mermaid).toContain(escapeMermaid(nasty));
    expect(mermaid.split("\n").every((line) => !line.includes("<script>"))).toBe(true);
    expect(escapeMermaid('x"y#')).toBe("x#quot;y#35;");
  });

  it("exports a neighbourhood and the whole graph, marking inferred edges", () => {
    const store = storyStore();
    const b = new UpdateBuilder()
      .task({ span: 50n, id: 50n, name: "reader" })
      .taskStats(50n, { created: T0, polls: 1n, started: T0, ended: T0 + MS })
      .resource({ span: 51n, type: "Oneshot" })
      .resourceStats(51n, { "insight.name": "reply", "insight.owners": `sender:${STORY_TASK_ID}` })
      .asyncOp({ span: 52n, source: "Oneshot::recv", resource: 51n })
      .opStats(52n, 50n);
    store.applyUpdate(b.build(T0 + 3n * S));
    const near = neighbourhoodView(store, 50n);
    expect(near.nodes.map((n) => n.label).sort()).toEqual(["process-jobs", "prototype_channel", "reader", "reply"]);
    expect(near.edges.map((e) => e.label)).toContain("known sender (oneshot channel)");
    const whole = wholeGraphView(store);
    // prototype_channel has no known receiver, so its send side has no freer edge.
    expect(whole.edges.map((e) => e.label)).toEqual([
      "waiting for task 4 (process-jobs) to finish",
      "awaited task: the wait ends when it finishes (join handle)",
      "send: waiting on channel capacity",
      "waiting for a value",
      "known sender (oneshot channel)",
    ]);
    renderSvg(toDot(near));
    renderSvg(toDot(whole));
  });
});

describe("Chrome/Perfetto trace", () => {
  it("emits polls as slices per task thread and wakes as flows", () => {
    const store = new RuntimeStore();
    const b = new UpdateBuilder()
      .task({ span: 1n, id: 1n, name: "producer" })
      .task({ span: 2n, id: 2n, name: "consumer" })
      .taskStats(1n, { created: T0, polls: 1n, started: T0 + 10n * MS, ended: T0 + 30n * MS, busy: 20n * MS })
      .taskStats(2n, { created: T0, polls: 1n, started: T0 + MS, ended: T0 + 2n * MS })
      .resource({ span: 5n, type: "Channel" })
      .asyncOp({ span: 6n, source: "Channel::recv", resource: 5n })
      .opStats(6n, 2n);
    store.applyUpdate(b.build(T0 + 100n * MS));
    b.taskStats(2n, { created: T0, polls: 2n, lastWake: T0 + 20n * MS, wakes: 1n, started: T0 + 40n * MS, ended: T0 + 45n * MS }).opStats(6n, 2n, {
      "insight.woken_by": 1n,
    });
    store.applyUpdate(b.build(T0 + 200n * MS));
    const trace = toChromeTrace(store);
    const json = JSON.parse(JSON.stringify(trace)) as typeof trace;
    const polls = json.traceEvents.filter((e) => e.name === "poll");
    expect(polls.map((p) => [p.tid, p.dur])).toContainEqual([1, 20000]);
    const start = json.traceEvents.find((e) => e.ph === "s");
    const finish = json.traceEvents.find((e) => e.ph === "f");
    expect([start?.tid, finish?.tid, start?.id === finish?.id]).toEqual([1, 2, true]);
    expect(json.traceEvents.filter((e) => e.ph === "M").map((e) => e.args?.name)).toContain("consumer (2)");
  });
});
