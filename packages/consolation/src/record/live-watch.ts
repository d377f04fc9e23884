/**
 * Watches a live target for a while (or until interrupted), handing every
 * message to the caller with its receive time. Shared by `record` and `check`.
 */
import { ConsoleClient, watchTarget, type ConnectionState } from "@insight/protocol/client";
import type { State, Update } from "@insight/protocol";
import { CliError } from "../cli/cli-error.js";
import { nowNs } from "./recording-writer.js";

export interface LiveWatchHandlers {
  update(update: Update, atNs: bigint): void;
  state?(state: State, atNs: bigint): void;
}

export interface LiveWatchOptions {
  /** Stop after this long; undefined = until SIGINT/SIGTERM. */
  readonly forMs?: number;
  /** Fail when nothing connects within this long. */
  readonly connectTimeoutMs?: number;
}

export async function watchLive(target: URL, handlers: LiveWatchHandlers, options: LiveWatchOptions = {}): Promise<{ updates: number }> {
  const client = new ConsoleClient(target);
  let updates = 0;
  let connected = false;
  let lastProblem = "";
  let finish!: (error?: Error) => void;
  const finished = new Promise<void>((resolve, reject) => (finish = (error) => (error ? reject(error) : resolve())));
  const watch = watchTarget(client, {
    onUpdate(update) {
      updates++;
      handlers.update(update, nowNs());
    },
    onState(state) {
      handlers.state?.(state, nowNs());
    },
    onConnection(state: ConnectionState) {
      if (state.status === "connected") connected = true;
      if (state.status === "reconnecting") lastProblem = state.reason;
    },
  });
  const timers: NodeJS.Timeout[] = [];
  if (options.forMs !== undefined) {
    timers.push(setTimeout(() => finish(connected ? undefined : new CliError(`could not connect to ${target.href}${lastProblem ? `: ${lastProblem}` : ""}`)), options.forMs));
  }
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  timers.push(
    setTimeout(() => {
      if (!connected) finish(new CliError(`could not connect to ${target.href} within ${connectTimeoutMs / 1000}s${lastProblem ? `: ${lastProblem}` : ""}`));
    }, connectTimeoutMs),
  );
  const onSignal = () => finish();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    await finished;
  } finally {
    for (const t of timers) clearTimeout(t);
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    watch.stop();
    await watch.done;
  }
  return { updates };
}
