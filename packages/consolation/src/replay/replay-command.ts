/**
 * What `consolation replay` does once its options are parsed: the terminal
 * console, the web console, a plain report or a dump of the replayed state.
 * register-replay.ts loads this module only when the command runs.
 */
import type { ReadStream, WriteStream } from "node:tty";
import { CliError } from "../cli/cli-error.js";
import { LONG_FIELD_WIDTH, RuntimeStore, safeText, type LintConfig } from "@async-insight/engine";
import { lintConfigFrom, type LintFlags } from "../cli/lint-options.js";
import type { CommandContext } from "../cli/command-context.js";
import { filterSnapshot, snapshotOf } from "../dump/snapshot.js";
import { formatDumpText } from "../dump/format-text.js";
import { parseDurationMs } from "../cli/parse-span.js";
import { FORMAT_NAMES } from "../trace-formats/read-trace.js";
import { runApp } from "../tui/app.js";
import { ReplayFeed } from "../tui/conn/replay-feed.js";
import { formatPlainReport } from "../tui/plain-report.js";
import { createViewStore } from "../tui/state/create-view-store.js";
import { openTerminal } from "../tui/term/terminal-session.js";
import { exposureFor, exposureWarning, pageUrl } from "../web/web-exposure.js";
import { openReplay, startRecordingWebConsole } from "../web/web-command.js";
import type { ReplaySource } from "../playback/replay-source.js";

export interface ReplayOptions extends LintFlags {
  until?: string;
  report?: boolean;
  all?: boolean;
  allOps?: boolean;
  plain?: boolean;
  web?: boolean;
  port: number;
  host: string;
  outDir: string;
  allowHost?: string[];
  commandToken?: string;
}

/** Frames delivered when the position is `--until` from the start (all of them without it). */
function startIndex(source: ReplaySource, until: string | undefined): number {
  if (until === undefined || source.startNs === undefined) return source.frames.length;
  const atNs = source.startNs + BigInt(Math.round(parseDurationMs(until, "--until") * 1e6));
  return source.frames.indexAfter(atNs);
}

function printReport(file: string, source: ReplaySource, index: number, show: { all: boolean; allOps: boolean }, write: (text: string) => void): void {
  // Folded as the frames arrive, never all held. Without --all, finished tasks are kept only for
  // the usual retention (they are hidden anyway, only counted), so memory follows the program's
  // live state, not the file's size; --all keeps every one, as it prints every one.
  // A restart mark resets too: the report is the state of the process running at --until.
  const newStore = () => new RuntimeStore(show.all ? { retainForNs: null } : {});
  let store = newStore();
  source.subscribe({ reset: () => (store = newStore()), update: (u) => store.applyUpdate(u) });
  source.seekIndex(index);
  const snapshot = filterSnapshot(snapshotOf(store), { finished: show.all, finishedOps: show.all || show.allOps });
  const processes = source.processes > 1 ? `, process ${source.processAt(index)} of ${source.processes}` : "";
  write(
    formatDumpText(`${file} (${FORMAT_NAMES[source.format!]}, ${index}/${source.frames.length} updates${processes})`, snapshot, {
      showOpState: show.all || show.allOps,
    }),
  );
}

function printPlain(file: string, source: ReplaySource, index: number, lints: LintConfig, write: (text: string) => void): void {
  const store = createViewStore(lints);
  source.subscribe({ reset: () => store.reset(), update: (u) => store.applyUpdate(u) });
  source.seekIndex(index);
  const title = `replay: ${file} (${FORMAT_NAMES[source.format!]}, update ${index}/${source.frames.length})`;
  write(formatPlainReport(title, store, "run in a terminal to play it back"));
}

async function serveWeb(file: string, source: ReplaySource, index: number, opts: ReplayOptions, context: CommandContext): Promise<void> {
  const exposure = exposureFor(opts.host, opts.allowHost, opts.commandToken);
  const running = await startRecordingWebConsole(file, { host: opts.host, port: opts.port, portFlag: "--port", ...exposure }, { source, startIndex: index });
  context.out(`consolation replay: serving ${pageUrl(running.url, exposure)} (replaying ${file})\n`);
  const warning = exposureWarning("consolation replay", opts.host, exposure, "the recording");
  if (warning) context.err(warning);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await running.stop();
  process.exit(0);
}

async function runTui(file: string, source: ReplaySource, index: number, outDir: string, lints: LintConfig): Promise<void> {
  const stdin = process.stdin as ReadStream;
  if (!stdin.isTTY) throw new CliError("the replay console needs a terminal on stdin for its keys; use --plain or --report");
  let quit = () => {};
  const terminal = openTerminal(stdin, process.stdout as WriteStream, () => quit());
  const feed = new ReplayFeed(source, { label: file, startIndex: index });
  const app = runApp({ feed, source: createViewStore(lints), terminal, outDir });
  quit = app.quit;
  await app.done;
  process.exit(0);
}

export async function runReplayCommand(file: string, opts: ReplayOptions, context: CommandContext): Promise<void> {
  const lints = lintConfigFrom(opts);
  const source = await openReplay(file);
  for (const p of source.problems.slice(0, 20)) context.err(`consolation: ${file}:${p.line}: ${safeText(p.message, LONG_FIELD_WIDTH)}\n`);
  const index = startIndex(source, opts.until);
  if (opts.report) return printReport(file, source, index, { all: opts.all ?? false, allOps: opts.allOps ?? false }, context.out);
  if (opts.web) return serveWeb(file, source, index, opts, context);
  if (opts.plain || !(process.stdout as WriteStream).isTTY) return printPlain(file, source, index, lints, context.out);
  return runTui(file, source, index, opts.outDir, lints);
}
