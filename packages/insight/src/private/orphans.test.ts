/**
 * Orphaned work stays visible (issue 14 item 3): a request whose client gave
 * up while its handler waits stays live until the handler's work ends, and a
 * spawned task whose awaiter gave up (a Promise.race timeout) does not keep
 * the awaiter shown as waiting for it.
 */
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { afterEach, expect, it } from "vitest";
import { shortLocation } from "./await-frames.js";
import { resolveSite } from "./callsite.js";
import { spawn } from "../spawn.js";
import { AwaitTracker } from "./await-tracker.js";
import { resolveOptions } from "./config.js";
import { subscribeHttpTasks } from "./http-tasks.js";
import { enablePollHooks } from "./poll-hooks.js";
import { installRuntime, Runtime } from "./runtime.js";
import { newTaskContext, taskStorage } from "./task-context.js";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  installRuntime(undefined);
});

function start(awaits = true): Runtime {
  const rt = new Runtime(resolveOptions({}, {}));
  installRuntime(rt);
  const tracker = new AwaitTracker();
  tracker.start(() => awaits);
  // Polls tell a later wait from the one given up on (as with init()'s defaults).
  cleanups.push(() => tracker.stop(), subscribeHttpTasks(), enablePollHooks());
  return rt;
}

async function listen(handler: http.RequestListener): Promise<number> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return (server.address() as AddressInfo).port;
}

/** Sends a request and gives up (destroys the socket) once `giveUp` resolves. */
function impatient(port: number, giveUp: Promise<unknown>): Promise<void> {
  return new Promise((resolve) => {
    const request = http.get({ host: "127.0.0.1", port, path: "/slow" });
    request.on("error", () => resolve());
    request.on("close", () => resolve());
    void giveUp.then(() => request.destroy());
  });
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 400 && !check(); i++) await sleep(5);
  expect(check()).toBe(true);
};

const requestTask = (rt: Runtime) => [...rt.tasks.values()].find((t) => t.kind === "request");
it("keeps a request whose client left while its handler waits, until the handler's work ends", async () => {
  const rt = start();
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  let handlerReached!: () => void;
  const reached = new Promise<void>((resolve) => (handlerReached = resolve));
  let finished = false;
  const port = await listen(async (_request, response) => {
    handlerReached();
    await gate;
    response.end("late");
    finished = true;
  });
  const client = impatient(
    port,
    reached.then(() => sleep(20)),
  );
  await reached;
  rt.settleDeferred();
  await client;
  const task = requestTask(rt)!;
  await until(() => task.clientGone);
  expect(task.droppedAt).toBe(-1);
  const pending = [...rt.ops.values()].filter((op) => op.task === task && op.droppedAt < 0);
  expect(pending.map((op) => [op.source, op.extra?.["insight.client_gone"]])).toEqual([["Promise::await", true]]);
  // Exact lines are checked on untransformed code (test/real-apps); here the site is this file's handler.
  const site = resolveSite(pending[0]!.site)!;
  expect(site.file).toBe(fileURLToPath(import.meta.url));
  expect(pending[0]!.reason).toBe(`client gone, handler still waiting at ${shortLocation(site)}: waiting for a promise insight did not see made`);

  open();
  await until(() => task.droppedAt >= 0);
  expect(finished).toBe(true);
  expect(pending[0]!.droppedAt).toBeGreaterThanOrEqual(0);
});

it("ends a request at once when its client leaves and nothing of the handler waits", async () => {
  const rt = start();
  let handlerDone!: () => void;
  const done = new Promise<void>((resolve) => (handlerDone = resolve));
  const port = await listen((_request, response) => {
    response.write("partial");
    handlerDone();
  });
  await impatient(
    port,
    done.then(() => sleep(20)),
  );
  await until(() => requestTask(rt)?.droppedAt !== -1);
  expect(requestTask(rt)!.clientGone).toBe(false);
});

it("lets an awaiter give up on a spawned task: the task stays visible, the abandoned join ends", async () => {
  const rt = start();
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  let next!: () => void;
  const after = new Promise<void>((resolve) => (next = resolve));
  const main = rt.createTask("main", "main", {}, undefined, undefined);
  let gaveUp = false;
  taskStorage.run(newTaskContext(main), () => {
    spawn("racer", async () => {
      const slow = spawn("slow", () => gate);
      await Promise.race([slow, sleep(30)]);
      gaveUp = true;
      await after;
    });
  });
  const racer = [...rt.tasks.values()].find((t) => t.name === "racer")!;
  const slow = [...rt.tasks.values()].find((t) => t.name === "slow")!;
  // Promise.race calls the handle's then() from a microtask.
  await sleep(1);
  rt.settleDeferred();
  const join = () => [...rt.ops.values()].find((op) => op.source === "JoinHandle::join")!;
  expect([join().task?.name, join().droppedAt]).toEqual(["racer", -1]);

  await until(() => gaveUp);
  await sleep(5);
  rt.settleDeferred();
  rt.settleDeferred();
  // The racer moved on to its next await: the join no longer holds it.
  expect(join().droppedAt).toBeGreaterThanOrEqual(0);
  const racerWaits = [...rt.ops.values()].filter((op) => op.task === racer && op.droppedAt < 0).map((op) => op.source);
  expect(racerWaits).toEqual(["Promise::await"]);
  // The spawned task is still there, running on.
  expect([slow.droppedAt, rt.tasks.get(slow.spanId)?.name]).toEqual([-1, "slow"]);

  open();
  next();
  await until(() => slow.droppedAt >= 0 && racer.droppedAt >= 0);
});

// A join is recorded only at the next publish; until then only the note says the handler waits.
it.each([
  ["armed", true],
  ["not armed (no console looked yet)", false],
])("keeps a request whose only wait is a join younger than one publish interval (await tracker %s)", async (_armed, awaits) => {
  const rt = start(awaits);
  const fixture = fileURLToPath(new URL("../../test-fixtures/joins.cjs", import.meta.url));
  const { joiningHandler } = createRequire(import.meta.url)(fixture) as { joiningHandler: (s: typeof spawn, gate: Promise<void>) => http.RequestListener };
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const port = await listen(joiningHandler(spawn, gate));
  // The client leaves once the handler awaits the join, before any publish.
  await impatient(
    port,
    (async () => {
      await until(() => [...rt.tasks.values()].some((t) => t.name === "render"));
      await sleep(20);
    })(),
  );
  const task = requestTask(rt)!;
  await until(() => task.clientGone);
  expect(task.droppedAt).toBe(-1);
  // At the publish, the join is recorded as the orphan's wait.
  rt.settleDeferred();
  const render = [...rt.tasks.values()].find((t) => t.name === "render")!;
  const waits = [...rt.ops.values()].filter((op) => op.task === task && op.droppedAt < 0);
  const site = awaits ? resolveSite(waits[0]?.site) : undefined;
  expect(waits.map((op) => [op.source, op.reason, op.extra?.["insight.client_gone"]])).toEqual([
    [
      "JoinHandle::join",
      `client gone, handler still waiting${site ? ` at ${shortLocation(site)}` : ""}: waiting for task ${render.taskId} render to finish`,
      true,
    ],
  ]);
  // With the tracker armed, the site is the handler's await (joins.cjs, loaded as written).
  const line =
    readFileSync(fixture, "utf8")
      .split("\n")
      .findIndex((text) => text.includes('await spawn("render"')) + 1;
  if (awaits) expect([site?.file, site?.line]).toEqual([fixture, line]);

  open();
  await until(() => task.droppedAt >= 0);
  expect(waits[0]!.droppedAt).toBeGreaterThanOrEqual(0);
});
