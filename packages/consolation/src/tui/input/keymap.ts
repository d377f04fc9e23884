/**
 * Keys → new UI state plus effects the app performs (quit, pause, write a
 * file). Pure, so every binding is testable without a terminal.
 */
import type { Key } from "../term/key-decoder.js";
import { arrangeResources, RESOURCE_COLUMNS } from "../state/resource-columns.js";
import { arrangeTasks, taskColumnCount } from "../state/task-columns.js";
import { resolveOffset, resolveSelection } from "../state/table-selection.js";
import { currentScreen, type Screen, type TableState, type UiState } from "../state/ui-state.js";
import { freersFor, type RuntimeView, type TaskLink } from "../state/view-model.js";

export type Effect =
  | { readonly type: "quit" }
  | { readonly type: "toggle-pause" }
  | { readonly type: "export"; readonly format: "dot" | "mermaid"; readonly problem: number };

export interface KeyContext {
  readonly data: RuntimeView;
  /** Rows a table shows at the current terminal size. */
  readonly pageRows: number;
}

export interface KeyResult {
  readonly ui: UiState;
  readonly effects: readonly Effect[];
}

/** Tasks a resource view lists, in the order it draws them: freers, waiters, async ops. */
export function resourceTaskRefs(data: RuntimeView, key: string): TaskLink[] {
  const detail = data.resource(key);
  if (!detail) return [];
  return [...detail.freers.map((f) => f.task), ...detail.waiting.map((w) => w.task), ...detail.asyncOps.flatMap((op) => (op.task ? [op.task] : []))];
}

/** Problems the problem view lists: only these can be exported or opened. */
export function selectableCount(data: RuntimeView, screen: Screen): number {
  switch (screen.kind) {
    case "task":
      return data.task(screen.key)?.waits.length ?? 0;
    case "freers":
      return freersFor(data.resource(screen.resourceKey)?.freers ?? [], screen.freedBy).length;
    case "resource":
      return resourceTaskRefs(data, screen.key).length;
    case "problems":
      return data.problems().length;
    default:
      return 0;
  }
}

const clamp = (n: number, low: number, high: number) => Math.max(low, Math.min(high, n));

function replaceTop(ui: UiState, screen: Screen): UiState {
  return { ...ui, stack: [...ui.stack.slice(0, -1), screen] };
}

function push(ui: UiState, screen: Screen): UiState {
  return { ...ui, stack: [...ui.stack, screen] };
}

function moveTable(table: TableState, keys: (i: number) => string | undefined, count: number, to: (current: number) => number, pageRows: number): TableState {
  const current = resolveSelection(table, keys, count);
  const selected = count === 0 ? 0 : clamp(to(current), 0, count - 1);
  return { ...table, selected, selectedKey: keys(selected), offset: resolveOffset(table.offset, selected, pageRows, count) };
}

function tableMotion(key: Key, pageRows: number): ((i: number) => number) | undefined {
  const ch = key.name === "char" && !key.ctrl ? key.char : undefined;
  if (key.name === "down" || ch === "j") return (i) => i + 1;
  if (key.name === "up" || ch === "k") return (i) => i - 1;
  if (key.name === "pagedown" || (key.ctrl && key.char === "f")) return (i) => i + pageRows;
  if (key.name === "pageup" || (key.ctrl && key.char === "b")) return (i) => i - pageRows;
  if (key.name === "home" || ch === "g") return () => 0;
  if (key.name === "end" || ch === "G") return () => Number.MAX_SAFE_INTEGER;
  return undefined;
}

function handleTable(ui: UiState, key: Key, ctx: KeyContext, which: "tasks" | "resources"): KeyResult {
  const table = ui[which];
  const columns = which === "tasks" ? taskColumnCount(ctx.data.tasks()) : RESOURCE_COLUMNS.length;
  const rows =
    which === "tasks"
      ? arrangeTasks(ctx.data.tasks(), table.sortColumn, table.descending, table.filter)
      : arrangeResources(ctx.data.resources(), table.sortColumn, table.descending, table.filter);
  const keys = (i: number) => rows[i]?.key;
  const set = (next: TableState): KeyResult => ({ ui: { ...ui, [which]: next }, effects: [] });
  const motion = tableMotion(key, ctx.pageRows);
  if (motion) return set(moveTable(table, keys, rows.length, motion, ctx.pageRows));
  const ch = key.name === "char" && !key.ctrl ? key.char : undefined;
  if (key.name === "left" || ch === "h") return set({ ...table, sortColumn: (table.sortColumn + columns - 1) % columns });
  if (key.name === "right" || ch === "l") return set({ ...table, sortColumn: (table.sortColumn + 1) % columns });
  if (ch === "i") return set({ ...table, descending: !table.descending });
  if (ch === "/") return { ui: { ...ui, filterInput: table.filter }, effects: [] };
  if (key.name === "enter") {
    const row = rows[resolveSelection(table, keys, rows.length)];
    if (!row) return { ui, effects: [] };
    return { ui: push(ui, which === "tasks" ? { kind: "task", key: row.key, selected: 0 } : { kind: "resource", key: row.key, selected: 0 }), effects: [] };
  }
  return { ui, effects: [] };
}

function handleFilterInput(ui: UiState, key: Key): KeyResult {
  const which = currentScreen(ui).kind === "resources" ? "resources" : "tasks";
  const text = ui.filterInput ?? "";
  const setFilter = (filter: string, editing: boolean): KeyResult => ({
    ui: { ...ui, filterInput: editing ? filter : null, [which]: { ...ui[which], filter, selected: 0, selectedKey: undefined, offset: 0 } },
    effects: [],
  });
  if (key.name === "escape") return setFilter("", false);
  if (key.name === "enter") return setFilter(text, false);
  if (key.name === "backspace") return setFilter(text.slice(0, -1), true);
  if (key.ctrl && (key.char === "c" || key.char === "d")) return { ui, effects: [{ type: "quit" }] };
  if (key.ctrl && key.char === "u") return setFilter("", true);
  if (key.name === "char" && key.char && !key.ctrl) return setFilter(text + key.char, true);
  return { ui, effects: [] };
}

function handleHelp(ui: UiState, key: Key, ctx: KeyContext): KeyResult {
  const ch = key.name === "char" && !key.ctrl ? key.char : undefined;
  if (key.name === "escape" || ch === "?") return { ui: { ...ui, help: { open: false, scroll: 0 } }, effects: [] };
  if (ch === "q" || (key.ctrl && (key.char === "c" || key.char === "d"))) return { ui, effects: [{ type: "quit" }] };
  const motion = tableMotion(key, ctx.pageRows);
  if (motion) return { ui: { ...ui, help: { open: true, scroll: Math.max(0, Math.min(motion(ui.help.scroll), 1000)) } }, effects: [] };
  return { ui, effects: [] };
}

function handleDetail(ui: UiState, key: Key, ctx: KeyContext, screen: Exclude<Screen, { kind: "tasks" | "resources" }>): KeyResult {
  const count = selectableCount(ctx.data, screen);
  const motion = tableMotion(key, ctx.pageRows);
  if (motion) {
    const selected = count === 0 ? 0 : clamp(motion(screen.selected), 0, count - 1);
    return { ui: replaceTop(ui, { ...screen, selected }), effects: [] };
  }
  const ch = key.name === "char" && !key.ctrl ? key.char : undefined;
  if (screen.kind === "problems" && (ch === "D" || ch === "M")) {
    return { ui, effects: [{ type: "export", format: ch === "D" ? "dot" : "mermaid", problem: screen.selected }] };
  }
  if (key.name !== "enter") return { ui, effects: [] };
  switch (screen.kind) {
    case "task": {
      const wait = ctx.data.task(screen.key)?.waits[screen.selected];
      if (!wait?.resourceKey) return { ui: { ...ui, notice: "this wait names no resource the target reported" }, effects: [] };
      return { ui: push(ui, { kind: "freers", resourceKey: wait.resourceKey, freedBy: wait.freedBy, selected: 0 }), effects: [] };
    }
    case "freers": {
      const freer = freersFor(ctx.data.resource(screen.resourceKey)?.freers ?? [], screen.freedBy)[screen.selected];
      return freer ? { ui: push(ui, { kind: "task", key: freer.task.key, selected: 0 }), effects: [] } : { ui, effects: [] };
    }
    case "resource": {
      const ref = resourceTaskRefs(ctx.data, screen.key)[screen.selected];
      return ref ? { ui: push(ui, { kind: "task", key: ref.key, selected: 0 }), effects: [] } : { ui, effects: [] };
    }
    case "problems": {
      const first = ctx.data.problems()[screen.selected]?.tasks[0];
      return first ? { ui: push(ui, { kind: "task", key: first.task.key, selected: 0 }), effects: [] } : { ui, effects: [] };
    }
  }
}

export function handleKey(state: UiState, key: Key, ctx: KeyContext): KeyResult {
  const ui = state.notice === undefined ? state : { ...state, notice: undefined };
  if (ui.filterInput !== null) return handleFilterInput(ui, key);
  if (ui.help.open) return handleHelp(ui, key, ctx);
  const ch = key.name === "char" && !key.ctrl ? key.char : undefined;
  if (ch === "q" || (key.ctrl && (key.char === "c" || key.char === "d"))) return { ui, effects: [{ type: "quit" }] };
  if (ch === "?") return { ui: { ...ui, help: { open: true, scroll: 0 } }, effects: [] };
  if (ch === " ") return { ui, effects: [{ type: "toggle-pause" }] };
  if (ch === "t") return { ui: { ...ui, stack: [{ kind: "tasks" }] }, effects: [] };
  if (ch === "r") return { ui: { ...ui, stack: [{ kind: "resources" }] }, effects: [] };
  const screen = currentScreen(ui);
  if (ch === "P") {
    return screen.kind === "problems" ? { ui, effects: [] } : { ui: push(ui, { kind: "problems", selected: 0, scroll: 0 }), effects: [] };
  }
  if (key.name === "escape") {
    if (ui.stack.length > 1) return { ui: { ...ui, stack: ui.stack.slice(0, -1) }, effects: [] };
    const which = screen.kind === "resources" ? "resources" : "tasks";
    return { ui: { ...ui, [which]: { ...ui[which], filter: "" } }, effects: [] };
  }
  if (screen.kind === "tasks" || screen.kind === "resources") return handleTable(ui, key, ctx, screen.kind);
  return handleDetail(ui, key, ctx, screen);
}
