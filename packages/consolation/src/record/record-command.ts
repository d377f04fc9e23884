/**
 * What `consolation record` does once its options are parsed. register-record.ts
 * loads this module only when the command runs.
 */
import { formatTarget } from "@async-insight/client";
import { CliError } from "../cli/cli-error.js";
import type { CommandContext } from "../cli/command-context.js";
import { resolveTarget } from "../cli/target-option.js";
import { watchLive } from "../targets/live-watch.js";
import { parseDurationMs } from "../cli/parse-span.js";
import { RecordingWriter } from "./recording-writer.js";

export interface RecordOptions {
  port?: number;
  token?: string;
  output: string;
  for?: string;
  connectTimeout: string;
}

export async function runRecordCommand(targetArg: string | undefined, opts: RecordOptions, context: CommandContext): Promise<void> {
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
  const restarts = writer.restarts > 0 ? ` (the target restarted ${writer.restarts === 1 ? "once" : `${writer.restarts} times`}; each restart is marked)` : "";
  context.err(`recorded ${writer.messages} messages from ${formatTarget(target)} to ${opts.output}${restarts}\n`);
}
