import { describe, expect, it } from "vitest";
import { createEngineViewStore } from "../state/from-engine.js";
import { currentScreen, initialUiState, type UiState } from "../state/ui-state.js";
import type { Key } from "../term/key-decoder.js";
import { decodeKeys } from "../term/key-decoder.js";
import { channelLockDeadlockUpdates } from "@async-insight/engine/testing";
import { handleKey, type Effect } from "./keymap.js";

function press(ui: UiState, keys: string): { ui: UiState; effects: Effect[] } {
  const source = createEngineViewStore();
  for (const u of channelLockDeadlockUpdates()) source.applyUpdate(u);
  const effects: Effect[] = [];
  for (const key of decodeKeys(keys)) {
    const result = handleKey(ui, key as Key, { data: source.view(), pageRows: 10 });
    ui = result.ui;
    effects.push(...result.effects);
  }
  return { ui, effects };
}

describe("keymap", () => {
  it("follows the story's chain: task list → task → freers → the reader task", () => {
    // Sorted by ID ascending (←×5 from Total, then i), the writer is the third row.
    let { ui } = press(initialUiState(), "\x1b[D\x1b[D\x1b[D\x1b[D\x1b[Di");
    expect(ui.tasks.sortColumn).toBe(0);
    expect(ui.tasks.descending).toBe(false);
    ({ ui } = press(ui, "jj\r"));
    expect(currentScreen(ui)).toEqual({ kind: "task", key: "3", selected: 0 });
    ({ ui } = press(ui, "\r"));
    expect(currentScreen(ui)).toEqual({ kind: "freers", resourceKey: "1", freedBy: ["receiver"], selected: 0 });
    ({ ui } = press(ui, "\r"));
    expect(currentScreen(ui)).toEqual({ kind: "task", key: "4", selected: 0 });
    ({ ui } = press(ui, "\x1b\x1b\x1b"));
    expect(currentScreen(ui).kind).toBe("tasks");
  });

  it("opens and closes help, and the problem view with its exports", () => {
    let { ui } = press(initialUiState(), "?");
    expect(ui.help.open).toBe(true);
    ({ ui } = press(ui, "\x1b"));
    expect(ui.help.open).toBe(false);
    const result = press(ui, "PDM");
    expect(currentScreen(result.ui).kind).toBe("problems");
    expect(result.effects).toEqual([
      { type: "export", format: "dot", problem: 0 },
      { type: "export", format: "mermaid", problem: 0 },
    ]);
  });

  it("filters with / and clears with Esc; space pauses; q quits", () => {
    let { ui } = press(initialUiState(), "/reader");
    expect(ui.filterInput).toBe("reader");
    ({ ui } = press(ui, "\r"));
    expect(ui.filterInput).toBeNull();
    expect(ui.tasks.filter).toBe("reader");
    ({ ui } = press(ui, "\x1b"));
    expect(ui.tasks.filter).toBe("");
    expect(press(ui, " q").effects).toEqual([{ type: "toggle-pause" }, { type: "quit" }]);
  });

  it("switches to resources with r and back with t", () => {
    let { ui } = press(initialUiState(), "r");
    expect(currentScreen(ui).kind).toBe("resources");
    ({ ui } = press(ui, "t"));
    expect(currentScreen(ui).kind).toBe("tasks");
  });
});
