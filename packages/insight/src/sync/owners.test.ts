/**
 * Owners are evidence of use (docs/model.md "Owners"): the tasks that sent,
 * received or notified, never the creator for having created. Lock holders,
 * readers and permit holders are certain and stay as they are.
 */
import { afterEach, beforeEach, expect, it } from "vitest";
import { resolveOptions } from "../private/config.js";
import type { AttributeValues, LiveResource } from "../private/records.js";
import { installRuntime, Runtime } from "../private/runtime.js";
import { spawn } from "../spawn.js";
import { Channel } from "./channel.js";
import { Notify } from "./notify.js";
import { oneshot, type OneshotSender } from "./oneshot.js";
import { Semaphore } from "./semaphore.js";

let rt: Runtime;
beforeEach(() => {
  rt = new Runtime(resolveOptions({}, {}));
  installRuntime(rt);
});
afterEach(() => installRuntime(undefined));

const settle = () => new Promise((resolve) => setImmediate(resolve));

function resource(name: string): LiveResource {
  const found = [...rt.resources.values()].filter((r) => r.name === name);
  expect(found).toHaveLength(1);
  return found[0]!;
}

function describeNow(name: string): AttributeValues {
  return resource(name).target.deref()!.describe();
}

function ownerList(name: string): string[] {
  return String(describeNow(name)["insight.owners"]).split(",").filter(Boolean).sort();
}

it("a channel's creator is no owner; senders are tasks that sent, through the channel or a Sender", async () => {
  let jobs!: Channel<number>;
  const creator = spawn("creator", () => {
    jobs = new Channel<number>(8, { name: "jobs" });
  });
  await creator;
  expect(ownerList("jobs")).toEqual([]);
  const viaChannel = spawn("direct", () => jobs.send(1));
  const tx = jobs.sender();
  const viaHandle = spawn("handle", () => tx.send(2));
  // Taking a handle is not using it.
  const idle = spawn("idle-holder", () => void jobs.sender());
  await Promise.all([viaChannel, viaHandle, idle]);
  const receiver = spawn("consumer", async () => [await jobs.recv(), await jobs.recv()]);
  expect(await receiver).toEqual([1, 2]);
  expect(ownerList("jobs")).toEqual([`receiver:${receiver.id}`, `sender:${viaChannel.id}`, `sender:${viaHandle.id}`].sort());
  // The reasons never name a task.
  const waiting = spawn("waiter", () => jobs.recv());
  await settle();
  const [op] = [...rt.ops.values()].filter((o) => o.task?.taskId === waiting.id);
  expect(op?.reason).toBe("waiting for a message");
  jobs.trySend(3);
  await waiting;
});

it("keeps the most recent 8 distinct senders", async () => {
  const fanIn = new Channel<number>(Infinity, { name: "fan_in" });
  const producers = Array.from({ length: 10 }, (_, i) => spawn(`producer-${i}`, () => fanIn.send(i)));
  await Promise.all(producers);
  expect(ownerList("fan_in")).toEqual(
    producers
      .slice(2)
      .map((p) => `sender:${p.id}`)
      .sort(),
  );
});

it("actor request/reply: the oneshot's owners are the tasks that used each end, and its reason names nobody", async () => {
  const mailbox = new Channel<OneshotSender<string>>(1, { name: "mailbox" });
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const worker = spawn("worker", async () => {
    const reply = await mailbox.recv();
    await gate;
    reply!.send("done");
  });
  const requester = spawn("requester", async () => {
    const [tx, rx] = oneshot<string>({ name: "reply" });
    await mailbox.send(tx);
    return rx;
  });
  await settle();
  expect(ownerList("reply")).toEqual([`receiver:${requester.id}`]);
  const [op] = [...rt.ops.values()].filter((o) => o.resource.name === "reply");
  expect(op?.task?.taskId).toBe(requester.id);
  expect(op?.reason).toBe("waiting for a value from the sender");
  release();
  expect(await requester).toBe("done");
  await worker;
});

it("Notify's notifiers are the tasks that notified it, not its creator", async () => {
  let bell!: Notify;
  await spawn("maker", () => {
    bell = new Notify({ name: "bell" });
  });
  const waiter = spawn("waiter", () => bell.notified());
  await settle();
  expect(ownerList("bell")).toEqual([]);
  const ringer = spawn("ringer", () => bell.notifyOne());
  await Promise.all([ringer, waiter]);
  expect(ownerList("bell")).toEqual([`notifier:${ringer.id}`]);
});

it("a Semaphore publishes its capacity, its permit holders, and what each waiting acquire requested", async () => {
  const pool = new Semaphore(3, { name: "pool" });
  const holder = spawn("holder", () => pool.acquire(2));
  const permit = await holder;
  const waiter = spawn("waiter", () => pool.acquire(2));
  await settle();
  expect(describeNow("pool")).toMatchObject({ permits: 1, "insight.capacity": 3, "insight.owners": `permit:${holder.id},permit:${holder.id}` });
  const [op] = [...rt.ops.values()].filter((o) => o.resource.name === "pool");
  expect(op?.extra).toEqual({ "insight.requested": 2 });
  expect(op?.reason).toBe("waiting for 2 permits (1 available)");
  pool.addPermits(1);
  expect(describeNow("pool")["insight.capacity"]).toBe(4);
  (await waiter).release();
  permit.release();
  expect(describeNow("pool")).toMatchObject({ permits: 4, "insight.capacity": 4, "insight.owners": "" });
});
