/**
 * The terminal console over a real connection whose target restarts: a
 * reconnect that lands on a new process starts from an empty state (no
 * stale deadlock, no task of the dead process); one that lands on the same
 * process keeps what it knew.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { Update } from "@async-insight/protocol";
import { ConsoleClient, type ConnectionState } from "@async-insight/client";
import { startInstrumentServer, type InstrumentSource, type RunningInstrumentServer } from "@async-insight/protocol/server";
import { createEngineViewStore } from "../../packages/consolation/src/tui/state/from-engine.js";
import { LiveFeed } from "../../packages/consolation/src/tui/conn/feed.js";
import { healthyProcessUpdate, processStart, stuckProcessUpdate } from "../support/process-fixtures.js";
import { scriptedSource } from "../support/scripted-source.js";

const servers: RunningInstrumentServer[] = [];
let feed: LiveFeed | undefined;

afterEach(async () => {
  feed?.stop();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(updates: readonly Update[], port = 0): Promise<RunningInstrumentServer> {
  const source: InstrumentSource = scriptedSource({ updates });
  const server = await startInstrumentServer(source, { host: "127.0.0.1", port });
  servers.push(server);
  return server;
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400 && !condition(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!condition()) throw new Error(`never happened: ${what}`);
}

function watch(port: number) {
  const source = createEngineViewStore();
  const events: string[] = [];
  let connected = 0;
  feed = new LiveFeed(new ConsoleClient(new URL(`http://127.0.0.1:${port}`)));
  feed.start({
    update: (u) => source.applyUpdate(u),
    reset: () => {
      events.push("reset");
      source.reset();
    },
    taskCreatedAt: (span) => source.taskCreatedAt(span),
    connection: (change) => {
      const state = change({ target: "", state: { status: "connecting" }, temporality: "live" }).state as ConnectionState;
      if (state.status === "connected") connected++;
    },
    changed: () => {},
    notice: (text) => events.push(text),
  });
  return { source, events, connections: () => connected };
}

const taskNames = (source: ReturnType<typeof createEngineViewStore>) =>
  source
    .view()
    .tasks()
    .map((t) => `${t.id} ${t.name} ${t.state}`);

describe("LiveFeed across a target restart", () => {
  it("drops the dead process's deadlock and tasks when the reconnect lands on a new process", async () => {
    const first = processStart(-20_000);
    const old = await serve([stuckProcessUpdate(first, 1000), stuckProcessUpdate(first, 2000), stuckProcessUpdate(first, 3000)]);
    const port = old.address.port;
    const { source, events, connections } = watch(port);
    await until(
      () =>
        source
          .view()
          .problems()
          .some((p) => p.lint === "deadlock-cycle"),
      "the deadlock shown",
    );
    expect(taskNames(source)).toEqual(["1 process-jobs blocked"]);

    await old.close();
    const second = processStart(-1_000);
    await serve([healthyProcessUpdate(second, 500), healthyProcessUpdate(second, 900)], port);
    await until(() => connections() === 2 && taskNames(source).length === 1 && taskNames(source)[0] === "1 fresh idle", "the new process shown");
    expect(events).toEqual(["reset", "the target restarted: showing the new process"]);
    expect(source.view().problems()).toEqual([]);
    expect(source.view().resources()).toEqual([]);
  });

  it("keeps the state when the reconnect lands on the same process", async () => {
    const start = processStart(-20_000);
    const updates = [stuckProcessUpdate(start, 1000), stuckProcessUpdate(start, 2000)];
    const before = await serve(updates);
    const port = before.address.port;
    const { source, events, connections } = watch(port);
    await until(
      () =>
        source
          .view()
          .problems()
          .some((p) => p.lint === "deadlock-cycle"),
      "the deadlock shown",
    );
    await before.close();
    // The same process again (a network blip): its task keeps its span id and creation time.
    await serve([stuckProcessUpdate(start, 4000)], port);
    await until(
      () => connections() === 2 && source.view().tasks().length === 1 && source.store.now === start + 4000n * 1_000_000n,
      "the reconnect's snapshot applied",
    );
    expect(events).toEqual([]);
    expect(
      source
        .view()
        .problems()
        .map((p) => p.lint),
    ).toContain("deadlock-cycle");
  });
});
