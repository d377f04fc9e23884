/** `consolation dump [TARGET]`: one snapshot of a live target, printed and done. */
import { ConsoleClient, fetchSnapshot, formatTarget, SnapshotError } from "@async-insight/client";
import { boundedJsonReplacer } from "@async-insight/engine";
import { CliError } from "../cli/cli-error.js";
import { formatDumpText } from "./format-text.js";
import { filterSnapshot, foldSnapshot, type DumpSnapshot } from "./snapshot.js";

export interface DumpOptions {
  readonly json?: boolean;
  /** Include completed tasks, dropped resources and finished async ops. */
  readonly all?: boolean;
  /** Include async ops that are no longer pending. */
  readonly allOps?: boolean;
  readonly timeoutMs?: number;
  readonly maxMessageBytes?: number;
}

export async function runDump(target: URL, options: DumpOptions, write: (text: string) => void): Promise<void> {
  const client = new ConsoleClient(target, options.maxMessageBytes ? { maxMessageBytes: options.maxMessageBytes } : {});
  let snapshot: DumpSnapshot;
  try {
    const folded = foldSnapshot(await fetchSnapshot(client, options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}));
    snapshot = filterSnapshot(folded, { finished: options.all ?? false, finishedOps: (options.all || options.allOps) ?? false });
  } catch (error) {
    if (error instanceof SnapshotError) throw new CliError(error.message);
    throw error;
  }
  const label = formatTarget(target);
  write(options.json ? `${toJsonText(label, snapshot)}\n` : formatDumpText(label, snapshot, { showOpState: (options.all || options.allOps) ?? false }));
}

/**
 * bigints become decimal strings: ids above 2^53 must survive a JSON reader.
 * Strings keep their full text up to FULL_TEXT_LIMIT (a 1 MB name is cut there, marked).
 */
function toJsonText(target: string, snapshot: DumpSnapshot): string {
  return JSON.stringify({ target, ...snapshot }, boundedJsonReplacer, 2);
}
