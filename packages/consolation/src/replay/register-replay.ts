/**
 * `consolation replay FILE`: plays a recording or trace back through the same
 * Update path as live data. Until the TUI takes a ReplaySource, `--report`
 * prints the state at `--until` (default: the end) as `dump` would.
 */
import type { Command } from "commander";
import { CliError } from "../cli/cli-error.js";
import type { CommandContext } from "../cli/command-context.js";
import { foldSnapshot, withoutFinished } from "../dump/snapshot.js";
import { formatDumpText } from "../dump/format-text.js";
import { parseDurationMs } from "../record/parse-span.js";
import { FORMAT_NAMES } from "../readers/read-trace.js";
import { ReplaySource } from "./replay-source.js";

export function registerReplay(program: Command, context: CommandContext): void {
  program
    .command("replay")
    .description("replay a recording (insight or console-subscriber) or a tokio trace; --report prints the state at --until")
    .argument("<file>", "recording or trace")
    .option("--until <duration>", "position from the start of the recording, e.g. 2.5s (default: the end)")
    .option("--report", "print the replayed state and exit (the interactive TUI replay is not wired yet)")
    .option("--all", "include completed tasks and dropped resources in the report")
    .option("--web", "open the web UI on the replay (not available yet)")
    .action(async (file: string, opts: { until?: string; report?: boolean; all?: boolean; web?: boolean }) => {
      if (opts.web) throw new CliError("replay --web is not available yet; use --report");
      const source = await ReplaySource.open(file);
      if (source.format === undefined) throw new CliError(`${file}: not a recording or trace consolation can read`);
      for (const p of source.problems.slice(0, 20)) context.err(`consolation: ${file}:${p.line}: ${p.message}\n`);
      const received: import("@insight/protocol").Update[] = [];
      source.subscribe({ reset: () => (received.length = 0), update: (u) => received.push(u) });
      if (opts.until !== undefined && source.startNs !== undefined) {
        source.seek(source.startNs + BigInt(Math.round(parseDurationMs(opts.until, "--until") * 1e6)));
      } else {
        source.seekIndex(source.frames.length);
      }
      const folded = foldSnapshot(received);
      const snapshot = opts.all ? folded : withoutFinished(folded);
      context.out(formatDumpText(`${file} (${FORMAT_NAMES[source.format]}, ${received.length}/${source.frames.length} updates)`, snapshot));
    });
}
