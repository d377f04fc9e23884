/**
 * The GC proof on real programs: a task that nothing can resume is proven
 * stuck; a task something live can still resume is not; a guard collected
 * unreleased is leaked, one released elsewhere is not. Runs on every Node
 * major the library supports (scripts/test.mjs runs this suite on 22 and 24).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, expect, it } from "vitest";
import { spawn } from "../spawn.js";
import { Channel } from "../sync/channel.js";
import { Mutex, type MutexGuard } from "../sync/mutex.js";
import { sleep } from "../sync/time.js";
import { resolveOptions } from "./config.js";
import { GcProof } from "./gc-proof.js";
import { subscribeHttpTasks } from "./http-tasks.js";
import type { LiveResource, LiveTask } from "./records.js";
import { installRuntime, Runtime } from "./runtime.js";
import { newTaskContext, taskStorage } from "./task-context.js";
import { WireBuilder } from "./wire.js";

let rt: Runtime;
let proof: GcProof;
const cleanup: (() => void)[] = [];

beforeEach(() => {
  rt = new Runtime(resolveOptions({}, {}));
  installRuntime(rt);
  proof = new GcProof(rt, () => true);
});

afterEach(() => {
  for (const fn of cleanup.splice(0)) fn();
  installRuntime(undefined);
});

const turn = () => new Promise((resolve) => setImmediate(resolve));

function task(name: string): LiveTask {
  const found = [...rt.tasks.values()].filter((t) => t.name === name);
  expect(found).toHaveLength(1);
  return found[0]!;
}

function resource(name: string): LiveResource {
  const found = [...rt.resources.values()].filter((r) => r.name === name);
  expect(found).toHaveLength(1);
  return found[0]!;
}

/** The resource's attributes and the task's waker counts as a console receives them. */
function onTheWire(resourceId: number, taskId: number) {
  const update = new WireBuilder(rt).snapshot();
  const attributes = Object.fromEntries(
    (update.resourceUpdate?.statsUpdate[String(resourceId)]?.attributes ?? []).map((a) => [a.field?.name.value, a.field?.value.value]),
  );
  const stats = update.taskUpdate?.statsUpdate[String(taskId)];
  return { attributes, clones: stats?.wakerClones, drops: stats?.wakerDrops };
}

/** Sweeps until `done` holds (FinalizationRegistry callbacks run on a later task), at most a few times. */
async function sweepUntil(done: () => boolean): Promise<void> {
  for (let i = 0; i < 5 && !done(); i++) {
    const result = await proof.sweep();
    expect(result.pauseMs).toBeGreaterThanOrEqual(0);
    for (let j = 0; j < 5 && !done(); j++) await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

it("proves the story's process-jobs stuck: it sent into a channel only it could drain", async () => {
  void spawn("process-jobs", async () => {
    const prototype_channel = new Channel<string>(1, { name: "prototype_channel" });
    for (const job of ["parse", "check", "store"]) await prototype_channel.send(job);
  });
  await turn();
  const stuck = task("process-jobs");
  expect(stuck.wakerClones - stuck.wakerDrops).toBe(2);
  await sweepUntil(() => stuck.proven);
  expect(stuck.proven).toBe(true);
  expect(stuck.droppedAt).toBe(-1);
  expect(stuck.wakerDrops).toBe(stuck.wakerClones);
  // The channel was collected with a send pending on it: unreachable, not dropped, final state kept.
  const channel = resource("prototype_channel");
  expect(channel.unreachable).toBe(true);
  expect(channel.droppedAt).toBe(-1);
  expect(channel.lastAttributes).toMatchObject({ capacity: 1, len: 1, closed: false, "insight.owners": `sender:${stuck.taskId}` });
  const [op] = [...rt.ops.values()].filter((o) => o.resource === channel);
  expect(op?.droppedAt).toBe(-1);
  const wire = onTheWire(channel.spanId, stuck.spanId);
  expect(wire.attributes).toMatchObject({ "insight.name": "prototype_channel", "insight.unreachable": true, "insight.owners": `sender:${stuck.taskId}` });
  expect(wire.attributes["insight.leaked"]).toBeUndefined();
  expect(wire.drops).toBe(wire.clones);
  expect(wire.clones).toBe(2n);
});

it("proves a task awaiting a promise nobody can resolve", async () => {
  void spawn("forever", async () => {
    await new Promise(() => {});
  });
  await turn();
  const forever = task("forever");
  await sweepUntil(() => forever.proven);
  expect(forever.proven).toBe(true);
  expect(forever.wakerDrops).toBe(forever.wakerClones);
});

it("does not prove a task waiting on a timer, nor one waiting on a channel a live task still holds", async () => {
  const abort = new AbortController();
  cleanup.push(() => abort.abort());
  const shared = new Channel<number>(1, { name: "shared" });
  void spawn("sleeper", async () => {
    // Holds `shared` and could send to it when it wakes.
    await sleep(3_600_000, { signal: abort.signal }).catch(() => undefined);
    shared.trySend(1);
  });
  void spawn("receiver", async () => {
    await shared.recv();
  });
  void spawn("plain-timer", async () => {
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, 3_600_000);
      cleanup.push(() => clearTimeout(timer));
    });
  });
  await turn();
  const tasks = ["sleeper", "receiver", "plain-timer"].map(task);
  // Several full GCs: none of them may prove anything.
  for (let i = 0; i < 3; i++) await proof.sweep();
  expect(tasks.map((t) => t.proven)).toEqual([false, false, false]);
  expect(tasks.map((t) => t.wakerClones - t.wakerDrops)).toEqual([2, 2, 1]);
  expect(resource("shared").unreachable).toBe(false);
});

it("does not prove a task whose fn returned a promise made outside it, while its resolver lives", async () => {
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  cleanup.push(() => release());
  // The tasks run no code of their own after spawn: only `released`, held here, can end them.
  void spawn("held-1", () => released);
  void spawn("held-2", () => released.then(() => "done"));
  await turn();
  const held = ["held-1", "held-2"].map(task);
  for (let i = 0; i < 3; i++) await proof.sweep();
  expect(held.map((t) => t.proven)).toEqual([false, false]);
  release();
  await turn();
  expect(held.map((t) => t.droppedAt > 0)).toEqual([true, true]);
});

it("ends, rather than blames, a wait its task abandoned on a channel nobody references any more", async () => {
  const abort = new AbortController();
  cleanup.push(() => abort.abort());
  // The recv loses the race; its waiter stays queued on a channel that then becomes garbage.
  const raceOnce = async () => {
    const inbox = new Channel<number>(1, { name: "inbox" });
    await Promise.race([inbox.recv(), sleep(1)]);
  };
  void spawn("gave-up", async () => {
    await raceOnce();
    await sleep(3_600_000, { signal: abort.signal }).catch(() => undefined);
  });
  await new Promise((resolve) => setTimeout(resolve, 20));
  const gaveUp = task("gave-up");
  const inbox = resource("inbox");
  const [recv] = [...rt.ops.values()].filter((o) => o.resource === inbox);
  expect(recv?.droppedAt).toBe(-1);
  await sweepUntil(() => inbox.droppedAt >= 0);
  expect(gaveUp.proven).toBe(false);
  expect(inbox.unreachable).toBe(false);
  expect(inbox.droppedAt).toBeGreaterThan(0);
  expect(recv?.droppedAt).toBeGreaterThan(0);
  expect(recv?.wokenBy).toBe(0);
});

it("publishes a lock leaked by Promise.race as insight.leaked, held forever", async () => {
  const lock = new Mutex(0, { name: "raced" });
  const held = await lock.lock();
  const raced = spawn("racer", async () => {
    // Gives up after 5 ms; the lock() stays queued and gets the guard later, which nobody releases.
    const winner = await Promise.race([lock.lock(), sleep(5).then(() => "timeout" as const)]);
    return winner === "timeout";
  });
  expect(await raced).toBe(true);
  held.release();
  await turn();
  expect(lock.locked).toBe(true);
  const record = resource("raced");
  await sweepUntil(() => record.leaked > 0);
  expect(record.leaked).toBe(1);
  expect(lock.locked).toBe(true);
  expect(record.lastAttributes["insight.owners"]).toBe(`holder:${task("racer").taskId}`);
  expect(onTheWire(record.spanId, task("racer").spanId).attributes).toMatchObject({
    locked: true,
    "insight.leaked": 1n,
    "insight.owners": `holder:${task("racer").taskId}`,
  });
});

it("does not count a guard passed to another task and released there as leaked", async () => {
  const lock = new Mutex(0, { name: "handed" });
  const handoff = new Channel<MutexGuard<number>>(1);
  const taker = spawn("taker", async () => {
    const guard = await handoff.recv();
    await sleep(1);
    guard!.release();
  });
  await spawn("locker", async () => {
    await handoff.send(await lock.lock());
  });
  await taker;
  expect(lock.locked).toBe(false);
  const record = resource("handed");
  for (let i = 0; i < 2; i++) await proof.sweep();
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(record.leaked).toBe(0);
});

it("does not prove a request whose handler parked its open response for another request to end", async () => {
  cleanup.push(subscribeHttpTasks());
  // Long polling with no promise at all: the handler leaves nothing behind that runs its code;
  // only whoever holds the response (here `parked`) can end the request.
  const parked: http.ServerResponse[] = [];
  const server = http.createServer((_, response) => void parked.push(response));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanup.push(
    () => void server.close(),
    () => server.closeAllConnections(),
  );
  const answered = new Promise<string>((resolve, reject) => {
    http
      .get({ port: (server.address() as AddressInfo).port, path: "/wait" }, (res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => (body += chunk.toString()));
        res.on("end", () => resolve(body));
      })
      .on("error", reject);
  });
  while (parked.length === 0) await turn();
  await turn();
  const request = task("GET /wait");
  expect(request.polls).toBe(1);
  for (let i = 0; i < 3; i++) await proof.sweep();
  expect(request.proven).toBe(false);
  parked[0]!.end("published");
  expect(await answered).toBe("published");
  while (request.droppedAt < 0) await turn();
  expect(request.proven).toBe(false);
});

it("never proves the main task, even once nothing can run its code", async () => {
  // As init() starts it, but in a scope of its own: main's top-level code parks itself for good
  // ("run forever"), as services do once their workers are up. Main never finishes, so this is not stuck.
  const main = rt.createTask("server.mjs", "main", {}, undefined, undefined);
  rt.mainTask = main;
  await taskStorage.run(newTaskContext(main), async () => {
    rt.poll(main, 0, 1);
    void new Promise(() => {}).then(() => undefined);
  });
  void spawn("forever", async () => {
    await new Promise(() => {});
  });
  await turn();
  const forever = task("forever");
  // The same sweeps prove a task parked the same way.
  await sweepUntil(() => forever.proven);
  expect(forever.proven).toBe(true);
  expect(main.context?.deref()).toBeUndefined();
  expect(main.proven).toBe(false);
  expect([main.wakerClones, main.wakerDrops]).toEqual([1, 0]);
});
