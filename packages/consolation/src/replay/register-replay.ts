/**
 * `consolation replay FILE`: plays a recording or trace back through the same
 * Update path as live data, in the terminal console (a plain report when
 * stdout is not a terminal), in the web console with `--web`, or as a dump
 * of the state at `--until` with `--report`. The playback (replay-command.ts)
 * is loaded only when the command runs.
 */
import { Option, type Command } from "commander";
import { addLintOptions } from "../cli/lint-options.js";
import type { CommandContext } from "../cli/command-context.js";
import { portNumber } from "../cli/port-number.js";
import { collectValues } from "../web/web-exposure.js";
import type { ReplayOptions } from "./replay-command.js";

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
    .addOption(new Option("--port <N>", "with --web: port to serve the page on (0 picks a free one)").default(6670).argParser(portNumber("--port")))
    .addOption(new Option("--host <address>", "with --web: address to serve the page on").default("127.0.0.1"))
    .addOption(new Option("--allow-host <name>", "with --web --host: also answer requests addressed to this host name; repeatable").argParser(collectValues))
    .addOption(
      new Option("--command-token <token>", "with --web --host: the token playback commands must carry (default: a random one, printed in the address)"),
    )
    .addOption(new Option("--out-dir <dir>", "where D and M write graph files").default(process.cwd(), "the current directory"));
  addLintOptions(command).action(async (file: string, opts: ReplayOptions) => {
    const { runReplayCommand } = await import("./replay-command.js");
    await runReplayCommand(file, opts, context);
  });
}
