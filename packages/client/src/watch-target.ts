/**
 * Keeps a console attached to its target: opens WatchUpdates and WatchState,
 * reports the connection state, and reconnects with backoff when the target
 * restarts or the network drops.
 *
 * Backoff starts at 0.5 s and doubles to a 5 s ceiling, resetting once a
 * connection delivers data, so a restarted app is picked up quickly while a
 * dead one is not hammered.
 */
import { GrpcError, GrpcStatus } from "@async-insight/protocol/grpc";
import type { State, Update } from "@async-insight/protocol";
import type { ConsoleClient } from "./console-client.js";
import { describeConnectionError } from "./describe-error.js";

export type ConnectionState =
  | { readonly status: "connecting" }
  | { readonly status: "connected"; readonly since: number }
  | { readonly status: "reconnecting"; readonly retryAt: number; readonly reason: string }
  | { readonly status: "closed" };

export interface WatchHandlers {
  onUpdate(update: Update): void;
  onState?(state: State): void;
  onConnection?(state: ConnectionState): void;
  /** WatchState is missing on console-subscriber before 0.5. */
  onNotice?(message: string): void;
}

export interface BackoffOptions {
  readonly initialMs?: number;
  readonly maxMs?: number;
}

export interface TargetWatch {
  /** Stops watching and closes the streams. */
  stop(): void;
  readonly done: Promise<void>;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

export function nextBackoff(failures: number, options: BackoffOptions = {}): number {
  const initial = options.initialMs ?? 500;
  const max = options.maxMs ?? 5_000;
  return Math.min(initial * 2 ** Math.max(0, failures), max);
}

export function watchTarget(client: ConsoleClient, handlers: WatchHandlers, backoff: BackoffOptions = {}): TargetWatch {
  const stopping = new AbortController();
  const report = (state: ConnectionState) => handlers.onConnection?.(state);

  const consumeStates = async (signal: AbortSignal, onData: () => void) => {
    try {
      for await (const state of client.watchState(signal)) {
        onData();
        handlers.onState?.(state);
      }
    } catch (error) {
      if (error instanceof GrpcError && error.code === GrpcStatus.UNIMPLEMENTED) {
        handlers.onNotice?.("the target has no WatchState (console-subscriber < 0.5); pause state will not be shown");
      }
      // Any other failure shows up on the updates stream, which drives reconnects.
    }
  };

  const run = async () => {
    let failures = 0;
    report({ status: "connecting" });
    while (!stopping.signal.aborted) {
      const session = new AbortController();
      const abortSession = () => session.abort();
      stopping.signal.addEventListener("abort", abortSession, { once: true });
      let receivedData = false;
      const onData = () => {
        if (!receivedData) {
          receivedData = true;
          failures = 0;
          report({ status: "connected", since: Date.now() });
        }
      };
      let reason = "the target ended the stream";
      const states = consumeStates(session.signal, onData);
      try {
        for await (const update of client.watchUpdates(session.signal)) {
          onData();
          handlers.onUpdate(update);
        }
      } catch (error) {
        reason = describeConnectionError(error, client.label);
      } finally {
        session.abort();
        stopping.signal.removeEventListener("abort", abortSession);
        await states;
      }
      if (stopping.signal.aborted) break;
      const delay = nextBackoff(failures, backoff);
      failures += 1;
      report({ status: "reconnecting", retryAt: Date.now() + delay, reason });
      await sleep(delay, stopping.signal);
    }
    report({ status: "closed" });
  };

  const done = run();
  return { stop: () => stopping.abort(), done };
}
