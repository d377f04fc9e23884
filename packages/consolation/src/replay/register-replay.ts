/**
 * `consolation replay FILE`: plays a recording or trace back through the same
 * Update path as live data, in the terminal console (a plain report when
 * stdout is not a terminal), in the web console with `--web`, or as a dump
 * of the state at `--until` with `--report`.
 */
import { Option, type Command } from "commander";
import type { ReadStream, WriteStream } from "node:tty";
import { CliError } from "../cli/cli-error.js";
import { LONG_FIELD_WIDTH, RuntimeStore, safeText, type LintConfig } from "@async-insight/engine";
import { addLintOptions, lintConfigFrom, type LintFlags } from "../cli/lint-options.js";
import type { CommandContext } from "../cli/command-context.js";
import { filterSnapshot, snapshotOf } from "../dump/snapshot.js";
import { formatDumpText } from "../dump/format-text.js";
import { parseDurationMs } from "../record/parse-span.js";
import { FORMAT_NAMES } from "../readers/read-trace.js";
import { runApp } from "../tui/app.js";
import { ReplayFeed } from "../tui/conn/replay-feed.js";
import { formatPlainReport } from "../tui/plain-report.js";
import { createRuntimeSource } from "../tui/state/create-source.js";
import { openTerminal } from "../tui/term/terminal-session.js";
import { collectValues, exposureFor, exposureWarning, pageUrl } from "../web/web-exposure.js";
import { openReplay, startRecordingWebConsole } from "../web/web-command.js";
import type { ReplaySource } from "./replay-source.js";

interface ReplayOptions extends LintFlags {
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

function parsePort(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new CliError(`--port expects a port number, got "${value}"`);
  return Number(value);
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
  const store = createRuntimeSource(lints);
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
  const app = runApp({ feed, source: createRuntimeSource(lints), terminal, outDir });
  quit = app.quit;
  await app.done;
  process.exit(0);
}

export function registerReplay(program: Command, context: CommandContext): void {
  const command = program
    .command("replay")
    .description("play a recording (insight or console-subscriber) or a tokio trace in the console, or in the browser with --web")
    .argument("<file>", "recording or trace")
    .option("--until <duration>", "start at this position from the start of the recording, e.g. 2.5s (default: the end)")
    .option("--report", "print the replayed state at --until as `dump` would, and exit")
    .option("--all", "include completed tasks, dropped resources and finished async ops in the --report")
    .option("--all-ops", "include async ops that are no longer pending in the --report")
    .option("--plain", "print the console's plain report at --until and exit, even on a terminal")
    .option("--web", "serve the web console with playback controls instead of the terminal console")
    .addOption(new Option("--port <N>", "with --web: port to serve the page on (0 picks a free one)").default(6670).argParser(parsePort))
    .addOption(new Option("--host <address>", "with --web: address to serve the page on").default("127.0.0.1"))
    .addOption(new Option("--allow-host <name>", "with --web --host: also answer requests addressed to this host name; repeatable").argParser(collectValues))
    .addOption(
      new Option("--command-token <token>", "with --web --host: the token playback commands must carry (default: a random one, printed in the address)"),
    )
    .addOption(new Option("--out-dir <dir>", "where D and M write graph files").default(process.cwd(), "the current directory"));
  addLintOptions(command).action(async (file: string, opts: ReplayOptions) => {
    const lints = lintConfigFrom(opts);
    const source = await openReplay(file);
    for (const p of source.problems.slice(0, 20)) context.err(`consolation: ${file}:${p.line}: ${safeText(p.message, LONG_FIELD_WIDTH)}\n`);
    const index = startIndex(source, opts.until);
    if (opts.report) return printReport(file, source, index, { all: opts.all ?? false, allOps: opts.allOps ?? false }, context.out);
    if (opts.web) return serveWeb(file, source, index, opts, context);
    if (opts.plain || !(process.stdout as WriteStream).isTTY) return printPlain(file, source, index, lints, context.out);
    return runTui(file, source, index, opts.outDir, lints);
  });
}
