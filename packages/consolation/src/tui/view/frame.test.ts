import { describe, expect, it } from "vitest";
import { createEngineViewStore } from "../state/from-engine.js";
import { initialUiState, type Screen, type UiState } from "../state/ui-state.js";
import { stripAnsi } from "../../format/strip-ansi.js";
import { visibleWidth } from "../term/ansi.js";
import { likelyDeadlockUpdates, manyTasksUpdate, selfSendUpdates, channelLockDeadlockUpdates, tokioDeadlockUpdates } from "@async-insight/engine/testing";
import { renderFrame } from "./frame.js";
import type { RenderInput } from "./render-input.js";

const SIZES = [
  { columns: 120, rows: 40 },
  { columns: 80, rows: 24 },
] as const;

function story() {
  const source = createEngineViewStore();
  for (const u of channelLockDeadlockUpdates()) source.applyUpdate(u);
  return source;
}

function frame(source: ReturnType<typeof story>, ui: UiState, size: { columns: number; rows: number }, extra: Partial<RenderInput> = {}): string[] {
  const lines = renderFrame({
    data: source.view(),
    ui,
    connection: { target: "http://127.0.0.1:8080", state: { status: "connected", since: 0 }, temporality: "live" },
    size,
    nowMs: 0,
    ...extra,
  });
  return lines;
}

const at = (...stack: Screen[]): UiState => ({ ...initialUiState(), stack });
const text = (lines: readonly string[]) => lines.map((l) => stripAnsi(l).trimEnd()).join("\n");

describe("every view renders at fixed sizes", () => {
  const views: Array<[string, UiState]> = [
    ["task list", initialUiState()],
    ["task view", at({ kind: "tasks" }, { kind: "task", key: "3", selected: 0 })],
    ["freers", at({ kind: "tasks" }, { kind: "task", key: "3", selected: 0 }, { kind: "freers", resourceKey: "1", freedBy: ["receiver"], selected: 0 })],
    ["resource list", at({ kind: "resources" })],
    ["resource view", at({ kind: "resources" }, { kind: "resource", key: "1", selected: 0 })],
    ["problem view", at({ kind: "tasks" }, { kind: "problems", selected: 0, scroll: 0 })],
    ["help over the task view", { ...at({ kind: "tasks" }, { kind: "task", key: "3", selected: 0 }), help: { open: true, scroll: 0 } }],
  ];
  for (const size of SIZES) {
    for (const [name, ui] of views) {
      it(`${name} at ${size.columns}x${size.rows}`, () => {
        const lines = frame(story(), ui, size);
        expect(lines).toHaveLength(size.rows);
        for (const line of lines) expect(visibleWidth(line)).toBe(size.columns);
        expect(stripAnsi(lines.at(-1)!)).toMatch(/^For help, hit \? key/);
        expect(text(lines)).toMatchSnapshot();
      });
    }
  }
});

describe("the story's screens", () => {
  it("warns about the deadlock at the top of the task list", () => {
    const screen = text(frame(story(), initialUiState(), SIZES[0]));
    expect(screen).toContain("deadlock cycle was detected. hit P for more info.");
    expect(screen).toMatch(/prototype-writer\s+task\s+blocked/);
  });

  it("shows the await site, the source line and the reason on dark red", () => {
    const lines = frame(story(), at({ kind: "tasks" }, { kind: "task", key: "3", selected: 0 }), SIZES[0]);
    const screen = text(lines);
    expect(screen).toContain("Blocked at examples/node/prototype-channel/server.js:38:11");
    expect(screen).toContain("await chan.send(value)");
    const waitLine = lines.find((l) => stripAnsi(l).includes("prototype_channel (Channel)"))!;
    expect(waitLine).toContain("48;5;52m send: waiting on channel capacity ");
    expect(stripAnsi(waitLine)).toContain("send: waiting on channel capacity");
  });

  it("lists only the known receiver as able to free a full channel, as a possible freer", () => {
    const screen = text(frame(story(), at({ kind: "tasks" }, { kind: "freers", resourceKey: "1", freedBy: ["receiver"], selected: 0 }), SIZES[0]));
    expect(screen).toContain("Tasks that can free prototype_channel");
    expect(screen).toContain("Tasks known to use it; other code holding a reference could free it too.");
    expect(screen).toMatch(/▶ task 4 prototype-reader\s+known receiver \(mpsc channel\)\s+possible\s+blocked/);
    const freerList = screen.slice(0, screen.indexOf("Waiting on it"));
    expect(freerList).not.toContain("prototype-writer");
  });

  it("names the cycle's tasks, awaits, locations and docs page in the problem view", () => {
    const screen = text(frame(story(), at({ kind: "problems", selected: 0, scroll: 0 }), SIZES[0]));
    expect(screen).toContain("deadlock cycle");
    expect(screen).toContain('task id 3 "prototype-writer"');
    expect(screen).toContain("awaits prototype_channel (Channel):  send: waiting on channel capacity");
    expect(screen).toContain("at examples/node/prototype-channel/server.js:50:7");
    expect(screen).toContain("docs/problems/deadlock-cycle.md");
    expect(screen).toContain("hit D to generate a graphviz .dot file");
  });

  it("explains how to follow the chain in the help window", () => {
    const ui = { ...at({ kind: "tasks" }, { kind: "task", key: "3", selected: 0 }), help: { open: true, scroll: 0 } };
    const screen = text(frame(story(), ui, SIZES[0]));
    expect(screen).toContain("Help: Task view");
    expect(screen).toContain("tasks that can free that resource");
  });
});

const channelKey = (source: ReturnType<typeof story>, name: string) =>
  source
    .view()
    .resources()
    .find((r) => r.name === name)!.key;

function fed(updates: readonly Parameters<ReturnType<typeof createEngineViewStore>["applyUpdate"]>[0][]) {
  const source = createEngineViewStore();
  for (const u of updates) source.applyUpdate(u);
  return source;
}

describe("evidence in the words", () => {
  it("gives a likely deadlock its own weaker banner, never the deadlock one", () => {
    const source = fed(likelyDeadlockUpdates());
    expect(
      source
        .view()
        .problems()
        .map((p) => p.lint),
    ).toEqual(["likely-deadlock", "blocked-on-full-channel"]);
    const screen = text(frame(source, initialUiState(), SIZES[0]));
    expect(screen).not.toContain("deadlock cycle was detected");
    expect(screen).toContain(" a likely deadlock (not proven): tasks seem to wait on each other. hit P for more info.");
  });

  it("says in the problem view what a likely deadlock rests on", () => {
    const screen = text(frame(fed(likelyDeadlockUpdates()), at({ kind: "problems", selected: 0, scroll: 0 }), SIZES[0]));
    expect(screen).toContain("rests on: likely, not proven: counts only the tasks known to use each end; other code could still free it");
    expect(screen).toContain('▶  WARNING  Likely deadlock: tasks 1 "client", 2 "server" wait on each other through requests, responses;');
  });

  it("claims nothing about the story's self-send before the proof: no known receiver, the sender listed", () => {
    const source = fed(selfSendUpdates(false));
    expect(
      source
        .view()
        .problems()
        .filter((p) => p.lint === "deadlock-cycle"),
    ).toEqual([]);
    const screen = text(
      frame(
        source,
        at({ kind: "tasks" }, { kind: "freers", resourceKey: channelKey(source, "prototype_channel"), freedBy: ["receiver"], selected: 0 }),
        SIZES[0],
      ),
    );
    expect(screen).toContain("Tasks that can free prototype_channel: none known (Channel 1)");
    expect(screen).toContain(
      "No task is known to receive from it. The tasks known to use it are listed below;\nother code holding a reference could still free it.",
    );
    expect(screen).toMatch(/▶ task 4 process-jobs\s+known sender \(mpsc channel\)\s+blocked/);
    expect(screen).not.toContain("deadlock cycle was detected");
  });

  it("after the proof: the channel is unreachable, its waiter can never continue, and the deadlock rests on the proof", () => {
    const source = fed(selfSendUpdates(true));
    const freers = text(
      frame(
        source,
        at({ kind: "tasks" }, { kind: "freers", resourceKey: channelKey(source, "prototype_channel"), freedBy: ["receiver"], selected: 0 }),
        SIZES[0],
      ),
    );
    expect(freers).toContain("Tasks that can free prototype_channel: none (Channel 1)");
    expect(freers).toContain("The target proved that no code still able to run can reach it (garbage collection).");
    expect(freers).toContain("No task is known to receive from it. Its waiters can never continue. Tasks that used it:");
    const resource = text(frame(source, at({ kind: "resources" }, { kind: "resource", key: channelKey(source, "prototype_channel"), selected: 0 }), SIZES[0]));
    expect(resource).toContain(
      "Can free it (Enter opens the task)\n  The target proved that no code still able to run can reach it (garbage collection).\n▶ task 4 process-jobs  sole sender (mpsc channel)",
    );
    const problems = text(frame(source, at({ kind: "problems", selected: 0, scroll: 0 }), SIZES[0]));
    expect(problems).toContain("⚠ deadlock cycle was detected. hit P for more info.");
    expect(problems).toContain('Task 4 "process-jobs" waits on itself through prototype_channel and can never make progress');
    expect(problems).toContain("rests on: proven: nothing still able to run can wake these tasks (garbage-collection proof or lost wakers)");
  });
});

describe("the header", () => {
  it("counts down to the next reconnect and shows pause and dropped events", () => {
    const source = createEngineViewStore();
    const lines = frame(source, initialUiState(), SIZES[0], {
      connection: { target: "http://127.0.0.1:6669", state: { status: "reconnecting", retryAt: 3_000, reason: "connection refused" }, temporality: "paused" },
      nowMs: 500,
    });
    expect(stripAnsi(lines[0]!)).toContain("(RECONNECTING IN 3s (connection refused))  PAUSED");
  });
});

describe("tokio data", () => {
  it("finds the two-mutex deadlock from console-subscriber's acquire ops alone", () => {
    const source = createEngineViewStore();
    for (const u of tokioDeadlockUpdates()) source.applyUpdate(u);
    const [problem] = source.view().problems();
    expect(problem?.lint).toBe("deadlock-cycle");
    expect(problem?.tasks.map((t) => t.name)).toEqual(["transfer-ledger-then-audit", "audit-audit-then-ledger"]);
    expect(problem?.dot?.()).toContain('[label="lock holder (mutex)"');
    expect(problem?.mermaid?.()).toMatch(/^graph TD/);
  });

  it("does not report a cycle seen in only one update", () => {
    const source = createEngineViewStore();
    source.applyUpdate(tokioDeadlockUpdates()[0]!);
    expect(
      source
        .view()
        .problems()
        .filter((p) => p.lint === "deadlock-cycle"),
    ).toHaveLength(0);
  });
});

describe("a large task list", () => {
  it("draws only the rows that fit", () => {
    const source = createEngineViewStore();
    source.applyUpdate(manyTasksUpdate(10_000));
    const lines = frame(source, initialUiState(), SIZES[1]);
    expect(lines).toHaveLength(24);
    expect(text(lines)).toContain("Tasks (10000)");
  });
});
