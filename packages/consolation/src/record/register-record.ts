/** `consolation record [TARGET] -o FILE`: writes a live target's messages to a recording. */
import type { Command } from "commander";
import { formatTarget } from "@async-insight/client";
import { CliError } from "../cli/cli-error.js";
import type { CommandContext } from "../cli/command-context.js";
import { portOption, resolveTarget, tokenOption } from "../cli/target-option.js";
import { watchLive } from "./live-watch.js";
import { parseDurationMs } from "./parse-span.js";
import { RecordingWriter } from "./recording-writer.js";

export function registerRecord(program: Command, context: CommandContext): void {
  program
    .command("record")
    .description("record a live target's updates to a file (insight recording, JSON lines) until Ctrl-C or --for")
    .argument("[target]", "console server to record (default http://127.0.0.1:6669)")
    .addOption(portOption())
    .addOption(tokenOption())
    .requiredOption("-o, --output <file>", "recording to write (replaced if it exists)")
    .option("--for <duration>", "stop after this long, e.g. 30s")
    .option("--connect-timeout <duration>", "fail if the target does not answer in time", "10s")
    .action(async (targetArg: string | undefined, opts: { port?: number; token?: string; output: string; for?: string; connectTimeout: string }) => {
      const target = resolveTarget(targetArg, opts.port, opts.token);
      const forMs = opts.for !== undefined ? parseDurationMs(opts.for, "--for") : undefined;
      const connectTimeoutMs = parseDurationMs(opts.connectTimeout, "--connect-timeout");
      let writer: RecordingWriter;
      try {
        writer = new RecordingWriter(opts.output, formatTarget(target));
      } catch (error) {
        throw new CliError(`cannot write ${opts.output}: ${(error as Error).message}`);
      }
      try {
        await watchLive(
          target,
          { update: (u, at) => writer.update(u, at), state: (s, at) => writer.state(s, at), restart: (at) => writer.restart(at) },
          { ...(forMs !== undefined ? { forMs } : {}), connectTimeoutMs },
        );
      } finally {
        await writer.close().catch((error: Error) => {
          throw new CliError(`cannot write ${opts.output}: ${error.message}`);
        });
      }
      const restarts =
        writer.restarts > 0 ? ` (the target restarted ${writer.restarts === 1 ? "once" : `${writer.restarts} times`}; each restart is marked)` : "";
      context.err(`recorded ${writer.messages} messages from ${formatTarget(target)} to ${opts.output}${restarts}\n`);
    });
}
