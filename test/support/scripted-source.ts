/**
 * An `InstrumentSource` with fixed content, for serving known messages from
 * our server to a peer under test. Each WatchUpdates call gets the scripted
 * updates and then stays open, the way a live runtime's stream does; pause
 * and resume are broadcast to every open WatchState stream.
 */
import { create } from "@bufbuild/protobuf";
import { StateSchema, Temporality, type State, type Update, type tasks } from "@async-insight/protocol";
import { GrpcError, GrpcStatus, type InstrumentSource } from "@async-insight/protocol/server";

export interface ScriptedContent {
  /** Sent in order on every WatchUpdates call; empty means the stream stays silent. */
  readonly updates?: readonly Update[];
  /** Per task id, the details sent on WatchTaskDetails; other ids get NOT_FOUND. */
  readonly taskDetails?: ReadonlyMap<bigint, readonly tasks.TaskDetails[]>;
}

export interface ScriptedSource extends InstrumentSource {
  readonly paused: boolean;
  /** How many WatchUpdates calls have started. */
  readonly updateWatches: number;
}

function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });
}

export function scriptedSource(content: ScriptedContent): ScriptedSource {
  let paused = false;
  let updateWatches = 0;
  const stateListeners = new Set<() => void>();
  const setPaused = (value: boolean) => {
    paused = value;
    for (const wake of stateListeners) wake();
  };
  const currentState = (): State => create(StateSchema, { temporality: paused ? Temporality.PAUSED : Temporality.LIVE });

  return {
    get paused() {
      return paused;
    },
    get updateWatches() {
      return updateWatches;
    },
    async *watchUpdates(signal) {
      updateWatches += 1;
      for (const update of content.updates ?? []) {
        if (signal.aborted) return;
        yield update;
      }
      await untilAborted(signal);
    },
    async *watchTaskDetails(taskId, signal) {
      const details = content.taskDetails?.get(taskId);
      if (!details) throw new GrpcError(GrpcStatus.NOT_FOUND, `task ${taskId} not found`);
      yield* details;
      await untilAborted(signal);
    },
    async *watchState(signal) {
      // Changes between reads collapse into one message with the latest state.
      let changed = false;
      let wake: (() => void) | undefined;
      const listener = () => {
        changed = true;
        wake?.();
      };
      stateListeners.add(listener);
      signal.addEventListener("abort", () => wake?.(), { once: true });
      try {
        yield currentState();
        while (!signal.aborted) {
          if (!changed) await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
          if (signal.aborted) return;
          changed = false;
          yield currentState();
        }
      } finally {
        stateListeners.delete(listener);
      }
    },
    pause() {
      setPaused(true);
    },
    resume() {
      setPaused(false);
    },
  };
}
