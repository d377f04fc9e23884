/**
 * The ioredis adapter in a real app (ioredis-app.mjs) against a real redis-server started by the test,
 * with insight started by init() after the imports and by --import: a BLPOP blocked on an empty list
 * and a GET in the offline queue, each a Redis::command op at its await line, and not reported again
 * by the generic await tracker. Run `npx tsc -b` first (the dump is the built CLI).
 */
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../support/free-port.js";
import { startRedis, type RedisServer } from "../support/servers.js";
import { waitFor } from "../support/wait-for.js";
import { attr, lineOfLocation, libraryOf, lineOf, sourceText, startApp, START_MODES, type RunningApp } from "./app-harness.js";

const APP = fileURLToPath(new URL("./ioredis-app.mjs", import.meta.url));

let server: RedisServer;
let app: RunningApp | undefined;
let downPort: number;
beforeAll(async () => {
  server = await startRedis();
  downPort = await freePort();
  process.env.REDIS_URL = server.url;
  process.env.REDIS_DOWN_PORT = String(downPort);
});
afterEach(() => app?.stop());
afterAll(async () => {
  delete process.env.REDIS_URL;
  delete process.env.REDIS_DOWN_PORT;
  await server?.stop();
});

describe.each(START_MODES)("ioredis, insight started by %s", (mode) => {
  it("publishes a blocked BLPOP and a command queued while disconnected", async () => {
    app = await startApp(APP, mode);
    const { worker, reader } = app.info.tasks as { worker: number; reader: number };
    const state = await waitFor(
      async () => {
        const s = await app!.dump();
        const ops = s.asyncOps.filter((o) => o.pending && o.source === "Redis::command");
        return ops.length === 2 && ops.every((o) => attr(o, "insight.await_line") !== undefined) && s;
      },
      { timeoutMs: 20_000, description: "two Redis::command waits with their await lines" },
    );
    const blpop = lineOf(APP, "// await: blpop");
    const offline = lineOf(APP, "// await: offline");
    const ops = state.asyncOps
      .filter((o) => o.pending && o.source === "Redis::command")
      .map((o) => ({
        task: Number(o.taskId),
        at: lineOfLocation(o.location),
        line: attr(o, "insight.await_line"),
        reason: attr(o, "insight.reason"),
        command: attr(o, "insight.command"),
      }))
      .sort((x, y) => x.task - y.task);
    expect(ops).toEqual(
      [
        {
          task: worker,
          at: `${APP}:${blpop}`,
          line: sourceText(APP, blpop),
          command: "BLPOP",
          reason: `blocked in BLPOP on the server until data arrives, with no timeout (redis 127.0.0.1:${server.port})`,
        },
        {
          task: reader,
          at: `${APP}:${offline}`,
          line: sourceText(APP, offline),
          command: "GET",
          reason: `queued while disconnected (redis 127.0.0.1:${downPort})`,
        },
      ].sort((x, y) => x.task - y.task),
    );
    const connections = state.resources.filter((r) => r.concreteType === "Redis");
    expect(connections.map((r) => attr(r, "insight.library"))).toEqual([libraryOf("ioredis"), libraryOf("ioredis")]);
    // The generic await tracker (on for every await here) does not also report these waits.
    expect(state.asyncOps.filter((o) => o.pending && [worker, reader].includes(Number(o.taskId)) && o.source !== "Redis::command")).toEqual([]);

    app.poke();
    const [pushed] = (await once(app.child.stdout!, "data")) as [Buffer];
    const { pusher } = JSON.parse(String(pushed)) as { pusher: number };
    expect(pusher).toBeGreaterThan(0);
    await waitFor(
      async () => {
        const s = await app!.dump();
        const op = s.asyncOps.find((o) => Number(o.taskId) === worker && o.source === "Redis::command");
        return op !== undefined && !op.pending;
      },
      { timeoutMs: 20_000, description: "the BLPOP answered" },
    );
  }, 60_000);
});
