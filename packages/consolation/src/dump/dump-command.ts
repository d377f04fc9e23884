/** `consolation dump [TARGET]`: one snapshot of a live target, printed and done. */
import { ConsoleClient, fetchSnapshot, formatTarget, SnapshotError } from "@insight/protocol/client";
import { CliError } from "../cli/cli-error.js";
import { formatDumpText } from "./format-text.js";
import { foldSnapshot, withoutFinished, type DumpSnapshot } from "./snapshot.js";

export interface DumpOptions {
  readonly json?: boolean;
  /** Include completed tasks and dropped resources and async ops. */
  readonly all?: boolean;
  readonly timeoutMs?: number;
  readonly maxMessageBytes?: number;
}

export async function runDump(target: URL, options: DumpOptions, write: (text: string) => void): Promise<void> {
  const client = new ConsoleClient(target, options.maxMessageBytes ? { maxMessageBytes: options.maxMessageBytes } : {});
  let snapshot: DumpSnapshot;
  try {
    const folded = foldSnapshot(await fetchSnapshot(client, options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}));
    snapshot = options.all ? folded : withoutFinished(folded);
  } catch (error) {
    if (error instanceof SnapshotError) throw new CliError(error.message);
    throw error;
  }
  const label = formatTarget(target);
  write(options.json ? `${toJsonText(label, snapshot)}\n` : formatDumpText(label, snapshot));
}

/** bigints become decimal strings: ids above 2^53 must survive a JSON reader. */
function toJsonText(target: string, snapshot: DumpSnapshot): string {
  return JSON.stringify({ target, ...snapshot }, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value), 2);
}
