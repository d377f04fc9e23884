/**
 * The adapter kit on its own (kit.ts), in process: a library object becomes a
 * resource located at its creation in this file, holders per unit, a blocked
 * wait as an op whose words are recomputed at publish, the waker, a new
 * runtime tracking afresh, and a dropped object collectable with its
 * resource (the kit holds it weakly).
 */
import { afterEach, beforeEach, expect, it } from "vitest";
import { resolveSite } from "../private/callsite.js";
import { resolveOptions } from "../private/config.js";
import { fullGc } from "../private/full-gc.js";
import { installRuntime, Runtime } from "../private/runtime.js";
import { spawn } from "../spawn.js";
import { runningText, track, trackedOf, usageText, type ResourceSpec } from "./kit.js";

/** A stand-in library object: the kit is what is under test, with its own plain object. */
class Bucket {
  readonly capacity = 2;
  readonly queue: (() => void)[] = [];
  used = 0;
}

const spec: ResourceSpec<Bucket> = {
  concreteType: "Pool",
  library: "bucket@1.0.0",
  name: "orders-db",
  read: (b) => ({ capacity: b.capacity, inUse: b.used, pending: b.queue.length }),
  reason: (resource) => `waiting for a pool connection: ${usageText(resource, resource.spec.read(resource.target!), "checked out")}`,
};

let rt: Runtime;
beforeEach(() => {
  rt = new Runtime(resolveOptions({}, {}));
  installRuntime(rt);
});
afterEach(() => installRuntime(undefined));

const thisFile = new URL(import.meta.url).pathname;
/** The caller's line as V8 reports it (what the kit reads; vitest's mapped Error.stack may differ). */
function lineHere(depth = 1): number {
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = (_error, frames: NodeJS.CallSite[]) => frames[depth]!.getLineNumber();
  try {
    return new Error().stack as unknown as number;
  } finally {
    Error.prepareStackTrace = previous;
  }
}

/** What a patched library method is: the kit locates things at its caller. */
function acquireFrom(bucket: Bucket, _line?: number) {
  return track(bucket, spec, acquireFrom);
}
function waitFor(bucket: Bucket, granted: Promise<void>, _line?: number) {
  trackedOf(bucket)!.wait(granted, { source: "Pool::acquire", below: waitFor });
}
/** The line of a call `f(..., lineHere())`: both calls sit on one line whatever the transform does. */
let calledAt = 0;
const at = () => (calledAt = lineHere(2));

it("publishes holders per unit, a blocked wait with words recomputed at publish, and its waker", async () => {
  const bucket = new Bucket();
  const resource = acquireFrom(bucket, at())!;
  const createdAt = calledAt;
  expect(resource.record.concreteType).toBe("Pool");
  expect(resource.record.name).toBe("orders-db");
  expect(resolveSite(resource.record.site)).toMatchObject({ file: thisFile, line: createdAt });
  expect(acquireFrom(bucket)).toBe(resource);

  const units = [{ n: 1 }, { n: 2 }];
  const holders = [spawn("holder-a", () => resource.hold(units[0]!)), spawn("holder-b", () => resource.hold(units[1]!))];
  await Promise.all(holders);
  bucket.used = 2;
  expect(resource.describe()).toEqual({
    "insight.library": "bucket@1.0.0",
    "insight.capacity": 2,
    "insight.in_use": 2,
    "insight.pending": 0,
    "insight.timeout_ms": undefined,
    "insight.owners": `holder:${holders[0]!.id},holder:${holders[1]!.id}`,
  });

  let grant!: () => void;
  const waiter = spawn("waiter", async () => {
    const granted = new Promise<void>((resolve) => bucket.queue.push((grant = resolve)));
    waitFor(bucket, granted, at());
    const waitedAt = calledAt;
    expect(resolveSite(rt.ops.values().next().value!.site)).toMatchObject({ file: thisFile, line: waitedAt });
    await granted;
  });
  await new Promise((resolve) => setImmediate(resolve));
  const [op] = [...rt.ops.values()];
  expect(op!.source).toBe("Pool::acquire");
  expect(op!.task?.taskId).toBe(waiter.id);
  expect(op!.reason).toBe(`waiting for a pool connection: 2/2 checked out by tasks ${holders[0]!.id}, ${holders[1]!.id}`);

  // holder-a gives its unit back from a task of its own; the words change at the next publish, not before.
  const releaser = spawn("releaser", () => {
    resource.release(units[0]!);
    bucket.used = 1;
  });
  await releaser;
  expect(op!.reason).toContain("2/2");
  rt.settleDeferred();
  expect(op!.reason).toBe(`waiting for a pool connection: 1/2 checked out by task ${holders[1]!.id}`);

  bucket.queue.shift()!();
  expect(grant).toBeTypeOf("function");
  await waiter;
  expect(op!.droppedAt).toBeGreaterThanOrEqual(0);
  expect(op!.wokenBy).toBe(releaser.id);
  expect(resource.waits.size).toBe(0);
});

it("tracks afresh under a new runtime, and lets a dropped object and its resource be collected", async () => {
  const gc = fullGc();
  expect(gc).toBeTypeOf("function");
  let bucket: Bucket | undefined = new Bucket();
  const first = acquireFrom(bucket)!;
  const next = new Runtime(resolveOptions({}, {}));
  installRuntime(next);
  expect(trackedOf(bucket)).toBeUndefined();
  // Only the record is kept here: the TrackedResource must live exactly as long as the bucket.
  const record = ((b: Bucket) => {
    const second = acquireFrom(b)!;
    expect(second).not.toBe(first);
    expect(next.resources.get(second.record.spanId)).toBe(second.record);
    return second.record;
  })(bucket);
  bucket = undefined;
  for (let i = 0; i < 10 && record.droppedAt < 0; i++) {
    gc!();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  expect(record.droppedAt).toBeGreaterThanOrEqual(0);
});

it("names a task holding several units once, with its count, and counts units lent to one operation without owners", async () => {
  const bucket = new Bucket();
  const resource = acquireFrom(bucket)!;
  const words = () => usageText(resource, resource.spec.read(bucket), "checked out");
  const both = spawn("both", () => {
    resource.hold({ n: 1 });
    resource.hold({ n: 2 });
  });
  await both;
  bucket.used = 2;
  expect(words()).toBe(`2/2 checked out by task ${both.id} (2 connections)`);
  expect(resource.describe()["insight.owners"]).toBe(`holder:${both.id},holder:${both.id}`);

  // A task holding one and another holding two: each named once, in the order they checked out.
  const lent = { n: 3 };
  const other = spawn("other", () => resource.hold({ n: 4 }));
  await other;
  bucket.used = 3;
  expect(usageText(resource, { capacity: 3, inUse: 3 }, "checked out")).toBe(`3/3 checked out by tasks ${both.id} (2 connections), ${other.id}`);
  expect(runningText(resource, { capacity: 3, inUse: 3 })).toBe(`3/3 running: tasks ${both.id} (2 slots), ${other.id}`);

  // Units the library checked out for one operation of a task: in use, but the task is no owner.
  resource.release({ n: 1 });
  for (const unit of [...resource.holders.keys()]) resource.release(unit);
  const fanout = spawn("fanout", () => {
    resource.hold(lent, undefined, 1, "pool.query()");
    resource.hold({ n: 5 }, undefined, 1, "pool.query()");
  });
  await fanout;
  bucket.used = 2;
  expect(resource.describe()["insight.owners"]).toBe("");
  expect(resource.describe()["insight.in_use"]).toBe(2);
  expect(resource.heldUnits).toBe(2);
  expect(words()).toBe(`2/2 checked out; 2 by pool.query() calls of task ${fanout.id} (2 connections), freed when they end`);
  resource.release(lent);
  bucket.used = 1;
  expect(words()).toBe(`1/2 checked out; 1 by pool.query() call of task ${fanout.id}, freed when it ends`);
});
