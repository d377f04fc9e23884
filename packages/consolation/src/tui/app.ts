/**
 * The console: takes data from a feed (a live target or a replayed file),
 * feeds the store, draws frames at most 30 times a second, and turns keys
 * into state changes and effects.
 */
import { writeExport } from "./conn/export-file.js";
import type { Feed } from "./conn/feed.js";
import type { ConsoleClient } from "@async-insight/client";
import { TaskDetailsFeed } from "./conn/task-details-feed.js";
import { handleKey, type Effect } from "./input/keymap.js";
import { summarizeTaskDetails } from "../wording/histogram-summary.js";
import type { ViewStore } from "./state/view-store.js";
import { currentScreen, initialUiState, type UiState } from "./state/ui-state.js";
import type { TaskHistogramSummaries } from "../wording/histogram-summary.js";
import { decodeKeys } from "./term/key-decoder.js";
import { ScreenWriter } from "./term/screen-writer.js";
import type { TerminalSession } from "./term/terminal-session.js";
import { renderFrame } from "./view/frame.js";
import type { ConnectionInfo } from "./view/render-input.js";

const FRAME_MS = 1000 / 30;
/** Rows taken by the header, the table title and column headers, and the help line. */
const CHROME_ROWS = 6;

export interface AppOptions {
  readonly feed: Feed;
  readonly source: ViewStore;
  readonly terminal: TerminalSession;
  /** Where D and M write files. */
  readonly outDir: string;
}

export function runApp(options: AppOptions): { done: Promise<void>; quit: () => void } {
  const { feed, terminal } = options;
  const source = options.source;
  const writer = new ScreenWriter({ write: (text) => terminal.write(text) });
  let ui: UiState = initialUiState();
  let connection: ConnectionInfo = feed.initialConnection;
  let histograms: TaskHistogramSummaries | undefined;
  let timer: NodeJS.Timeout | undefined;
  let lastDraw = 0;
  let finished = false;
  let resolveDone = () => {};
  const done = new Promise<void>((resolve) => (resolveDone = resolve));

  const draw = () => {
    timer = undefined;
    if (finished) return;
    lastDraw = Date.now();
    const size = { columns: terminal.columns(), rows: terminal.rows() };
    const lines = renderFrame({ data: source.view(), ui, connection, histograms, size, nowMs: lastDraw, extraHelp: feed.helpLines });
    writer.draw(lines, size.columns, size.rows);
  };
  // Updates can arrive far faster than a terminal can show them; coalesce into one frame.
  const schedule = () => {
    if (timer !== undefined || finished) return;
    timer = setTimeout(draw, Math.max(0, lastDraw + FRAME_MS - Date.now()));
  };

  // One details stream per target client; with several targets (docs/processes.md) the task's key says which.
  const detailFeeds = new Map<ConsoleClient, TaskDetailsFeed>();
  const detailsOn = (client: ConsoleClient) => {
    let found = detailFeeds.get(client);
    if (!found) {
      found = new TaskDetailsFeed(client, (message) => {
        source.applyTaskDetails?.(message);
        histograms = summarizeTaskDetails(message) ?? histograms;
        schedule();
      });
      detailFeeds.set(client, found);
    }
    return found;
  };
  const details = { stop: () => detailFeeds.forEach((f) => f.stop()) };
  let detailsKey: string | undefined;
  const followDetails = () => {
    const screen = currentScreen(ui);
    const key = screen.kind === "task" ? screen.key : undefined;
    const id = key !== undefined ? source.view().task(key)?.row.protocolId : undefined;
    const client = key !== undefined ? (feed.detailsClient?.(key) ?? feed.client) : undefined;
    // Two processes can use the same protocol id: another task's histograms never stay on screen.
    if (id === undefined || key !== detailsKey) histograms = undefined;
    detailsKey = key;
    for (const [c, f] of detailFeeds) if (c !== client) f.stop();
    if (client) detailsOn(client).follow(id);
  };

  feed.start({
    update: (update) => {
      source.applyUpdate(update);
      schedule();
    },
    reset: () => {
      source.reset();
      histograms = undefined;
      schedule();
    },
    taskCreatedAt: (spanId) => source.taskCreatedAt(spanId),
    connection: (change) => {
      connection = change(connection);
      schedule();
    },
    changed: schedule,
    notice: (text) => {
      ui = { ...ui, notice: text };
      schedule();
    },
  });

  const quit = () => {
    if (finished) return;
    finished = true;
    if (timer) clearTimeout(timer);
    clearInterval(ticker);
    details.stop();
    feed.stop();
    terminal.restore();
    resolveDone();
  };

  const perform = (effect: Effect) => {
    switch (effect.type) {
      case "quit":
        quit();
        return;
      case "toggle-pause":
        feed.togglePause();
        return;
      case "export": {
        const problems = source.view().problems();
        const chosen = problems[effect.problem]?.dot ? problems[effect.problem] : problems.find((p) => p.dot);
        if (!chosen?.dot || !chosen.mermaid) {
          ui = { ...ui, notice: "no cycle to export: only deadlock cycles have a graph" };
          return;
        }
        try {
          const path =
            effect.format === "dot"
              ? writeExport(options.outDir, chosen.lint, "dot", chosen.dot())
              : writeExport(options.outDir, chosen.lint, "mmd", chosen.mermaid());
          ui = { ...ui, notice: `wrote ${path}` };
        } catch (error) {
          ui = { ...ui, notice: `could not write the file: ${error instanceof Error ? error.message : String(error)}` };
        }
        return;
      }
    }
  };

  terminal.onKeys((data) => {
    for (const key of decodeKeys(data)) {
      if (ui.filterInput === null && !ui.help.open && feed.handleKey?.(key, ui)) continue;
      const pageRows = Math.max(1, terminal.rows() - CHROME_ROWS);
      const result = handleKey(ui, key, { data: source.view(), pageRows });
      ui = result.ui;
      for (const effect of result.effects) perform(effect);
      if (finished) return;
    }
    followDetails();
    schedule();
  });
  terminal.onResize(() => {
    writer.invalidate();
    schedule();
  });
  // Durations grow and "reconnecting in Ns" counts down even when no update arrives.
  const ticker = setInterval(schedule, 1000);
  draw();
  return { done, quit };
}
