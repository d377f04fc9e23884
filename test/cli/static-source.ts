/**
 * A console server with fixed content, for CLI tests that need a live target
 * without starting a real runtime.
 */
import { create } from "@bufbuild/protobuf";
import { nanosToTimestamp, StateSchema, Temporality, type State, type Update } from "@insight/protocol";
import type { InstrumentSource } from "@insight/protocol/server";

export function staticSource(snapshot: Update): InstrumentSource {
  let paused = false;
  return {
    async *watchUpdates(signal) {
      yield snapshot;
      await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
    },
    // eslint-disable-next-line require-yield
    async *watchTaskDetails() {
      return;
    },
    async *watchState(signal): AsyncIterable<State> {
      yield create(StateSchema, { temporality: paused ? Temporality.PAUSED : Temporality.LIVE });
      await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
    },
    pause() {
      paused = true;
    },
    resume() {
      paused = false;
    },
  };
}

export const nowTimestamp = () => nanosToTimestamp(BigInt(Date.now()) * 1_000_000n);
