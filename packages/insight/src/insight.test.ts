/**
 * insight in this process, seen over the wire by our own console client:
 * tasks with parents and locations, polls, waits with reasons and wakers,
 * owners, task details histograms, pause and resume.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeHdrHistogram, fieldName, fieldValue, Temporality, type FieldValue, type Update } from "@async-insight/protocol";
import { ConsoleClient, fetchSnapshot, parseTarget } from "@async-insight/client";
import { fileURLToPath } from "node:url";
import * as insight from "./index.js";
import { Channel, Mutex } from "./sync.js";

const THIS_FILE = fileURLToPath(import.meta.url);
let client: ConsoleClient;

function fields(list: readonly Parameters<typeof fieldName>[0][]): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (const f of list) {
    const name = fieldName(f);
    const value = fieldValue(f);
    if (name !== undefined && value !== undefined) out[name] = value;
  }
  return out;
}

async function snapshot() {
  const pieces: Update[] = await fetchSnapshot(client);
  const tasks = pieces.flatMap((p) => p.taskUpdate?.newTasks ?? []).map((t) => ({ task: t, f: fields(t.fields) }));
  const taskStats = Object.assign({}, ...pieces.map((p) => p.taskUpdate?.statsUpdate ?? {}));
  const resources = pieces.flatMap((p) => p.resourceUpdate?.newResources ?? []);
  const resourceStats = Object.assign({}, ...pieces.map((p) => p.resourceUpdate?.statsUpdate ?? {}));
  const ops = pieces.flatMap((p) => p.asyncOpUpdate?.newAsyncOps ?? []);
  const opStats = Object.assign({}, ...pieces.map((p) => p.asyncOpUpdate?.statsUpdate ?? {}));
  const byName = (name: string) => tasks.find((t) => t.f["task.name"] === name);
  const resourceAttrs = (id: bigint) => fields((resourceStats[String(id)]?.attributes ?? []).map((a: { field: Parameters<typeof fieldName>[0] }) => a.field));
  const opAttrs = (id: bigint) => fields((opStats[String(id)]?.attributes ?? []).map((a: { field: Parameters<typeof fieldName>[0] }) => a.field));
  return { tasks, taskStats, resources, resourceAttrs, ops, opStats, opAttrs, byName };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

beforeAll(async () => {
  const handle = insight.init({ listenPort: 0, publishInterval: 50 });
  expect(insight.init({ listenPort: 1 })).toBe(handle);
  const address = await handle.ready;
  expect(address?.port).toBeGreaterThan(0);
  client = new ConsoleClient(parseTarget(`http://127.0.0.1:${address!.port}`));
});

afterAll(async () => {
  await insight.shutdown();
  await insight.shutdown();
});

describe("tasks", () => {
  it("records spawned tasks with name, parent, location, polls and completion", async () => {
    const outer = insight.spawn("outer", async () => {
      const inner = insight.spawn(
        "inner",
        async () => {
          await tick();
          await tick();
          return 2;
        },
        { fields: { job: "demo" } },
      );
      expect(insight.currentTask()?.name).toBe("outer");
      return (await inner) + 1;
    });
    expect(await outer).toBe(3);

    const s = await snapshot();
    const o = s.byName("outer")!;
    const i = s.byName("inner")!;
    expect(o.f.kind).toBe("task");
    expect(i.f.job).toBe("demo");
    expect(i.task.parents.map((p) => p.id)).toEqual([o.task.id!.id]);
    expect(i.task.location?.file).toBe(THIS_FILE);
    // vitest runs this file transformed, without source maps in the stack, so its lines are not the
    // file's: the exact spawn line is asserted on untransformed fixtures (await-kinds.test.ts, install.test.ts).
    expect(i.task.location?.line).toBeGreaterThan(0);
    expect(Number(o.f["task.id"])).toBe(outer.id);
    const stats = s.taskStats[String(i.task.id!.id)];
    expect(stats.droppedAt).toBeDefined();
    expect(stats.pollStats.polls).toBeGreaterThanOrEqual(3n);
    // The main task exists and is the outer task's parent.
    const main = s.tasks.find((t) => t.f.kind === "main");
    expect(main).toBeDefined();
  });

  it("spawn returns a rejected handle when the task throws, and never throws itself", async () => {
    const handle = insight.spawn("thrower", () => {
      throw new Error("sync boom");
    });
    await expect(handle).rejects.toThrow("sync boom");
  });

  it("streams task details with decodable poll and scheduled histograms", async () => {
    // Histograms are recorded while a console watches (outside deep mode).
    const watching = new AbortController();
    const updates = client.watchUpdates(watching.signal)[Symbol.asyncIterator]();
    await updates.next();
    const task = insight.spawn("detailed", async () => {
      for (let n = 0; n < 5; n++) await tick();
    });
    await task;
    watching.abort();
    await updates.return?.().catch(() => undefined);
    const s = await snapshot();
    const spanId = s.byName("detailed")!.task.id!.id;
    const abort = new AbortController();
    for await (const details of client.watchTaskDetails(spanId, abort.signal)) {
      expect(details.pollTimesHistogram.case).toBe("histogram");
      const polls = details.pollTimesHistogram.case === "histogram" ? details.pollTimesHistogram.value : undefined;
      const histogram = decodeHdrHistogram(polls!.rawHistogram);
      expect(histogram.totalCount).toBe(s.taskStats[String(spanId)].pollStats.polls);
      decodeHdrHistogram(details.scheduledTimesHistogram!.rawHistogram);
      break;
    }
    abort.abort();
  });
});

describe("primitives", () => {
  it("reports a blocked recv, its reason, owners, and who woke it", async () => {
    const ch = new Channel<number>(1, { name: "handoff" });
    const receiver = insight.spawn("receiver", () => ch.recv());
    let s = await snapshot();
    const resource = s.resources.find((r) => s.resourceAttrs(r.id!.id)["insight.name"] === "handoff")!;
    const recvOp = s.ops.find((o) => o.resourceId?.id === resource.id!.id && o.source === "Channel::recv")!;
    expect(s.opAttrs(recvOp.id!.id)["insight.reason"]).toBe("waiting for a message");
    expect(s.opStats[String(recvOp.id!.id)].taskId.id).toBe(s.byName("receiver")!.task.id!.id);
    expect(String(s.resourceAttrs(resource.id!.id)["insight.owners"])).toContain(`receiver:${receiver.id}`);

    const sender = insight.spawn("sender", () => ch.send(42));
    await sender;
    expect(await receiver).toBe(42);
    s = await snapshot();
    expect(s.opAttrs(recvOp.id!.id)["insight.woken_by"]).toBe(BigInt(sender.id));
    expect(s.opStats[String(recvOp.id!.id)].droppedAt).toBeDefined();
  });

  it("names the lock holder in a blocked lock's reason", async () => {
    const m = new Mutex(0, { name: "guarded" });
    const holder = insight.spawn("holder", () => m.lock());
    const guard = await holder;
    const waiter = insight.spawn("waiter", async () => (await m.lock()).release());
    const s = await snapshot();
    const resource = s.resources.find((r) => s.resourceAttrs(r.id!.id)["insight.name"] === "guarded")!;
    expect(s.resourceAttrs(resource.id!.id).locked).toBe(true);
    expect(s.resourceAttrs(resource.id!.id)["insight.owners"]).toBe(`holder:${holder.id}`);
    const op = s.ops.find((o) => o.resourceId?.id === resource.id!.id && !s.opStats[String(o.id!.id)].droppedAt)!;
    expect(s.opAttrs(op.id!.id)["insight.reason"]).toBe(`waiting for lock held by task ${holder.id}`);
    expect(op.source).toBe("Mutex::lock");
    guard.release();
    await waiter;
  });
});

describe("control", () => {
  it("pauses and resumes", async () => {
    const abort = new AbortController();
    const states: Temporality[] = [];
    const watching = (async () => {
      for await (const state of client.watchState(abort.signal)) {
        states.push(state.temporality);
        if (states.length === 1) await client.pause();
        else if (states.length === 2) await client.resume();
        else break;
      }
    })();
    await watching;
    abort.abort();
    expect(states).toEqual([Temporality.LIVE, Temporality.PAUSED, Temporality.LIVE]);
  });

  it("answers NOT_FOUND for an unknown task", async () => {
    const abort = new AbortController();
    await expect(
      (async () => {
        for await (const _ of client.watchTaskDetails(999_999n, abort.signal)) break;
      })(),
    ).rejects.toThrow(/not found/i);
  });
});
