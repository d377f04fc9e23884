import { describe, expect, it, vi } from "vitest";
import type { Update } from "@async-insight/protocol";
import { replayStatusLine, ReplayFeed } from "../tui/conn/replay-feed.js";
import { initialUiState } from "../tui/state/ui-state.js";
import { parseReplayCommand } from "../web/web-server.js";
import { ReplayController } from "./replay-controller.js";
import { ReplaySource } from "./replay-source.js";

/** Ten frames a second apart; the controller never looks inside an Update. */
function source(): ReplaySource {
  return ReplaySource.fromFrames(
    Array.from({ length: 10 }, (_, i) => ({ atNs: 1_000_000_000_000n + BigInt(i) * 1_000_000_000n, update: { seq: i } as unknown as Update })),
  );
}

describe("ReplayController", () => {
  it("steps, seeks by time both ways, and resets on the way back", () => {
    const replay = source();
    const resets = vi.fn();
    replay.subscribe({ reset: resets, update: () => {} });
    const controller = new ReplayController(replay);
    expect(controller.run({ action: "step" })).toMatchObject({ frame: 1, positionMs: 0, durationMs: 9000, frames: 10 });
    expect(controller.run({ action: "seek-by", ms: 5000 })).toMatchObject({ frame: 6, positionMs: 5000 });
    expect(controller.run({ action: "seek-by", ms: -2500 })).toMatchObject({ frame: 3, positionMs: 2000 });
    expect(resets).toHaveBeenCalledTimes(1);
    expect(controller.run({ action: "seek-by", ms: -5000 })).toMatchObject({ frame: 0, positionMs: 0 });
    expect(controller.run({ action: "end" })).toMatchObject({ frame: 10, playing: false });
    expect(controller.run({ action: "seek-to", ms: 0 })).toMatchObject({ frame: 1 });
    expect(controller.run({ action: "start" })).toMatchObject({ frame: 0 });
  });

  it("keeps speeds within bounds, and plays again from the start when at the end", () => {
    const controller = new ReplayController(source());
    expect(controller.run({ action: "faster" }).speed).toBe(2);
    expect(controller.run({ action: "speed", speed: 1e9 }).speed).toBe(1024);
    expect(controller.run({ action: "speed", speed: -1 }).speed).toBe(1024);
    for (let i = 0; i < 20; i++) controller.run({ action: "slower" });
    expect(controller.status().speed).toBe(1 / 64);
    controller.run({ action: "end" });
    const playing = controller.run({ action: "toggle" });
    expect(playing.playing).toBe(true);
    expect(playing.frame).toBeLessThan(10);
    expect(controller.run({ action: "toggle" }).playing).toBe(false);
  });
});

describe("replay in the TUI", () => {
  it("shows where playback is", () => {
    expect(replayStatusLine({ playing: true, speed: 1, positionMs: 12_345, durationMs: 40_000, frame: 120, frames: 400 })).toBe(
      "replay  ▶ 1.0x  12.3s / 40.0s  frame 120/400",
    );
    expect(replayStatusLine({ playing: false, speed: 0.25, positionMs: 40_000, durationMs: 40_000, frame: 400, frames: 400 })).toBe(
      "replay  ■ 0.25x  40.0s / 40.0s  frame 400/400",
    );
  });

  it("takes its keys only where the keymap leaves them free", () => {
    const feed = new ReplayFeed(source(), { label: "f", startIndex: 4 });
    const changes: number[] = [];
    feed.start({
      update: () => {},
      reset: () => {},
      taskCreatedAt: () => undefined,
      connection: () => changes.push(feed.controller.status().frame),
      changed: () => {},
      notice: () => {},
    });
    const ui = initialUiState();
    expect(feed.handleKey({ name: "char", char: "." }, ui)).toBe(true);
    expect(feed.controller.status().frame).toBe(5);
    // → sorts the task list; on a detail screen it steps.
    expect(feed.handleKey({ name: "right" }, ui)).toBe(false);
    expect(feed.handleKey({ name: "right" }, { ...ui, stack: [{ kind: "tasks" }, { kind: "problems", selected: 0, scroll: 0 }] })).toBe(true);
    expect(feed.handleKey({ name: "char", char: "0" }, ui)).toBe(true);
    expect(feed.controller.status().frame).toBe(0);
    expect(feed.handleKey({ name: "char", char: "q" }, ui)).toBe(false);
    feed.stop();
  });
});

describe("POST /api/replay bodies", () => {
  it("accepts only the commands the page sends", () => {
    expect(parseReplayCommand('{"action":"step"}')).toEqual({ action: "step" });
    expect(parseReplayCommand('{"action":"seek-to","ms":2500}')).toEqual({ action: "seek-to", ms: 2500 });
    expect(parseReplayCommand('{"action":"seek-to"}')).toBeUndefined();
    expect(parseReplayCommand('{"action":"speed","speed":0}')).toBeUndefined();
    expect(parseReplayCommand('{"action":"constructor"}')).toBeUndefined();
    expect(parseReplayCommand("[1]")).toBeUndefined();
    expect(parseReplayCommand("not json")).toBeUndefined();
  });
});
