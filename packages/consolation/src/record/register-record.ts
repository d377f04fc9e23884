/**
 * `consolation record [TARGET] -o FILE`: writes a live target's messages to a
 * recording. The recording itself (record-command.ts) is loaded only when the command runs.
 */
import type { Command } from "commander";
import type { CommandContext } from "../cli/command-context.js";
import { portOption, tokenOption } from "../cli/target-option.js";
import type { RecordOptions } from "./record-command.js";

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
    .action(async (targetArg: string | undefined, opts: RecordOptions) => {
      const { runRecordCommand } = await import("./record-command.js");
      await runRecordCommand(targetArg, opts, context);
    });
}
