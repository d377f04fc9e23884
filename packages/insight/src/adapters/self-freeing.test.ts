/**
 * The kit's rule for units that run their task's own work (ResourceSpec.selfFreeing: limiter and
 * queue slots), in process on a stand-in limiter: a slot is published as `holder:<task>` unless its
 * task also waits on the limiter and none of the waits was made from inside that slot's work
 * (WaitSpec.within). The real libraries through the real wire: test/adapters/limiter-fanout.test.ts.
 */
import { afterEach, beforeEach, expect, it } from "vitest";
import { resolveOptions } from "../private/config.js";
import { installRuntime, Runtime } from "../private/runtime.js";
import { spawn } from "../spawn.js";
import { runningText, track, type ResourceSpec, type TrackedResource, type TrackedWait } from "./kit.js";

/** A stand-in limiter: the kit's rule is what is under test. */
class Limiter {
  readonly concurrency = 2;
  active = 0;
}

const spec: ResourceSpec<Limiter> = {
  concreteType: "Limiter",
  library: "limiter@1.0.0",
  selfFreeing: "call",
  read: (l) => ({ capacity: l.concurrency, inUse: l.active }),
  reason: (resource) => `waiting for a limiter slot: ${runningText(resource, resource.spec.read(resource.target!))}`,
};

let rt: Runtime;
beforeEach(() => {
  rt = new Runtime(resolveOptions({}, {}));
  installRuntime(rt);
});
afterEach(() => installRuntime(undefined));

function queued(resource: TrackedResource<Limiter>, within?: object[]): TrackedWait {
  return resource.wait(undefined, { source: "Limiter::run", below: queued, within })!;
}
const owners = (resource: TrackedResource<Limiter>) => resource.describe()["insight.owners"];
const words = (resource: TrackedResource<Limiter>) => resource.spec.reason(resource, undefined as unknown as TrackedWait);

it("counts a fan-out's own running calls without owners, and names them once a call waits from inside them", async () => {
  const limiter = new Limiter();
  const resource = track(limiter, spec, it)!;
  const slots = [{ n: 1 }, { n: 2 }];
  let wait: TrackedWait | undefined;
  // The task's two calls run; its third waits from outside them (Promise.all over the limiter).
  const fanout = spawn("fanout", () => {
    for (const slot of slots) resource.hold(slot);
    limiter.active = 2;
    wait = queued(resource);
  });
  await fanout;
  expect(owners(resource)).toBe("");
  expect(resource.describe()["insight.in_use"]).toBe(2);
  expect(words(resource)).toBe(`waiting for a limiter slot: 2/2 running, 2 of them calls of task ${fanout.id} that free themselves`);

  // No wait of the task on the limiter: its slots are its own (another task waiting for them sees it).
  wait!.end();
  expect(owners(resource)).toBe(`holder:${fanout.id},holder:${fanout.id}`);

  // One running call waits from inside its slot, the other does plain I/O: only the first holds up its slot,
  // so not every slot is held (the other frees itself, no cycle).
  const task = resource.holders.get(slots[0]!)!.task;
  const nested = resource.wait(undefined, { source: "Limiter::run", below: queued, task, within: [slots[0]!] })!;
  expect(owners(resource)).toBe(`holder:${fanout.id}`);
  expect(words(resource)).toBe(`waiting for a limiter slot: 2/2 running (task ${fanout.id}), 1 of them a call of task ${fanout.id} that frees itself`);

  // Both calls wait from inside their slots: every slot is held by a task waiting for one (the deadlock).
  const second = resource.wait(undefined, { source: "Limiter::run", below: queued, task, within: [slots[1]!] })!;
  expect(owners(resource)).toBe(`holder:${fanout.id},holder:${fanout.id}`);
  expect(words(resource)).toBe(`waiting for a limiter slot: 2/2 running: task ${fanout.id} (2 slots)`);
  nested.end();
  second.end();
});

it("keeps the slots of a task that does not wait on the limiter as its own, whoever else waits", async () => {
  const limiter = new Limiter();
  const resource = track(limiter, spec, it)!;
  const holders = [spawn("stuck-a", () => resource.hold({ n: 1 })), spawn("stuck-b", () => resource.hold({ n: 2 }))];
  await Promise.all(holders);
  limiter.active = 2;
  const waiter = spawn("queued", () => void queued(resource));
  await waiter;
  expect(owners(resource)).toBe(`holder:${holders[0]!.id},holder:${holders[1]!.id}`);
  expect(words(resource)).toBe(`waiting for a limiter slot: 2/2 running (tasks ${holders[0]!.id}, ${holders[1]!.id})`);
});
