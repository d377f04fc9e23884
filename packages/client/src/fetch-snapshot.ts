/**
 * Reads one complete snapshot from a target and disconnects. A server may
 * split a large snapshot into several messages; they share the same `now`,
 * so reading continues while messages with that timestamp keep arriving.
 */
import type { Update } from "@async-insight/protocol";
import type { ConsoleClient } from "./console-client.js";
import { describeConnectionError } from "./describe-error.js";

export class SnapshotError extends Error {
  override name = "SnapshotError";
}

export interface SnapshotOptions {
  /** Give up if no first message arrives within this time. */
  readonly timeoutMs?: number;
  /** How long to wait for a further piece of a split snapshot. */
  readonly settleMs?: number;
}

function sameInstant(a: Update, b: Update): boolean {
  return a.now?.seconds === b.now?.seconds && a.now?.nanos === b.now?.nanos;
}

export async function fetchSnapshot(client: ConsoleClient, options: SnapshotOptions = {}): Promise<Update[]> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  // insight slices a large snapshot over many event-loop turns and marks its
  // end with a message of a later instant; the wait is only the fallback for
  // servers that send no such marker, and must outlast a busy host's gaps.
  const settleMs = options.settleMs ?? 1000;
  const abort = new AbortController();
  const pieces: Update[] = [];
  let timedOut = false;
  let timer = setTimeout(() => {
    timedOut = true;
    abort.abort();
  }, timeoutMs);
  try {
    for await (const update of client.watchUpdates(abort.signal)) {
      const [first] = pieces;
      if (first && !sameInstant(first, update)) break;
      pieces.push(update);
      clearTimeout(timer);
      timer = setTimeout(() => abort.abort(), settleMs);
    }
  } catch (error) {
    if (pieces.length === 0) {
      if (timedOut) throw new SnapshotError(`no snapshot from ${client.label} within ${timeoutMs / 1000}s`);
      throw new SnapshotError(describeConnectionError(error, client.label));
    }
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
  if (pieces.length === 0) throw new SnapshotError(`${client.label} closed the stream without sending a snapshot`);
  return pieces;
}
