/**
 * Watches a live target for a while (or until interrupted), handing every
 * message to the caller with its receive time. Shared by `record` and `check`
 * (one target or several), so it sits with the other connection-level pieces.
 */
import { ConsoleClient, watchTarget, type ConnectionState } from "@async-insight/client";
import type { State, Update } from "@async-insight/protocol";
import { CliError } from "../cli/cli-error.js";
import { RestartDetector, TaskBirths } from "../wording/process-change.js";

/** Receive time, in ns since the epoch: wall-clock milliseconds plus the monotonic clock's sub-millisecond part. */
export function nowNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n);
}

export interface LiveWatchHandlers {
  update(update: Update, atNs: bigint): void;
  state?(state: State, atNs: bigint): void;
  /**
   * A reconnect landed on a new process (reading/process-change.ts); called
   * just before that process's first update.
   */
  restart?(atNs: bigint): void;
}

export interface LiveWatchOptions {
  /** Stop after this long; undefined = until SIGINT/SIGTERM. */
  readonly forMs?: number;
  /** Fail when nothing connects within this long. */
  readonly connectTimeoutMs?: number;
  /**
   * Fail (exit 2) as soon as an established connection is lost before
   * `forMs` is over: `check` cannot vouch for a window it did not see.
   */
  readonly failOnLoss?: boolean;
}

export async function watchLive(target: URL, handlers: LiveWatchHandlers, options: LiveWatchOptions = {}): Promise<{ updates: number }> {
  const client = new ConsoleClient(target);
  let updates = 0;
  let connected = false;
  let lastProblem = "";
  let finish!: (error?: Error) => void;
  const finished = new Promise<void>((resolve, reject) => (finish = (error) => (error ? reject(error) : resolve())));
  const births = handlers.restart ? new TaskBirths() : undefined;
  const restarts = births ? new RestartDetector(births.createdAt) : undefined;
  const watch = watchTarget(client, {
    onUpdate(update) {
      updates++;
      const atNs = nowNs();
      if (restarts?.startsNewProcess(update)) {
        births!.clear();
        handlers.restart?.(atNs);
      }
      births?.observe(update);
      handlers.update(update, atNs);
    },
    onState(state) {
      handlers.state?.(state, nowNs());
    },
    onConnection(state: ConnectionState) {
      if (state.status === "connected") {
        connected = true;
        restarts?.connected();
      }
      if (state.status === "reconnecting") {
        lastProblem = state.reason;
        const window = options.forMs !== undefined ? ` before --for ${formatWindow(options.forMs)} was over` : "";
        if (options.failOnLoss && connected) finish(new CliError(`lost ${client.label}${window}: ${state.reason}`, 2));
      }
    },
  });
  const timers: NodeJS.Timeout[] = [];
  if (options.forMs !== undefined) {
    timers.push(
      setTimeout(
        () => finish(connected ? undefined : new CliError(`could not connect to ${target.href}${lastProblem ? `: ${lastProblem}` : ""}`)),
        options.forMs,
      ),
    );
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

function formatWindow(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
