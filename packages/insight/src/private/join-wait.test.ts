import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { afterEach, expect, it } from "vitest";
import { spawn } from "../spawn.js";
import { AwaitTracker } from "./await-tracker.js";
import { loadSource, resolveSite, sourceLine } from "./callsite.js";
import { resolveOptions } from "./config.js";
import { installRuntime, Runtime } from "./runtime.js";

let tracker: AwaitTracker | undefined;
afterEach(() => {
  tracker?.stop();
  tracker = undefined;
  installRuntime(undefined);
});

function joinResources(rt: Runtime) {
  return [...rt.resources.values()].filter((r) => r.concreteType === "JoinHandle");
}

it("records awaiting a pending task as a wait that the task ends by finishing", async () => {
  const rt = new Runtime(resolveOptions({}, {}));
  installRuntime(rt);
  let finish!: () => void;
  let child!: ReturnType<typeof spawn<string>>;
  const parent = spawn("parent", async () => {
    child = spawn("child", () => new Promise<string>((resolve) => (finish = () => resolve("done"))));
    return await child;
  });
  await new Promise((resolve) => setImmediate(resolve));
  expect(joinResources(rt)).toEqual([]); // noted, not recorded until a publish
  rt.settleDeferred();

  const [handle] = joinResources(rt);
  expect(handle?.name).toBe("child");
  expect(handle?.target.deref()?.describe()["insight.owners"]).toBe(`task:${child.id}`);
  const [op] = [...rt.ops.values()].filter((o) => o.resource === handle);
  expect(op?.source).toBe("JoinHandle::join");
  expect(op?.reason).toBe(`waiting for task ${child.id} child to finish`);
  expect(op?.task?.taskId).toBe(parent.id);

  finish();
  expect(await parent).toBe("done");
  expect(op?.droppedAt).toBeGreaterThanOrEqual(0);
  expect(op?.wokenBy).toBe(child.id);
  expect(handle?.droppedAt).toBeGreaterThanOrEqual(0);
});

it("costs nothing for handles that are already settled or awaited outside any task", async () => {
  const rt = new Runtime(resolveOptions({}, {}));
  installRuntime(rt);
  const quick = spawn("quick", () => 1);
  await quick;
  expect(await spawn("outer", async () => await quick)).toBe(1);
  expect(joinResources(rt)).toEqual([]);
});

it("spends no stack capture on a join, where V8 leaves no user frame, and points at the spawn site instead", async () => {
  const rt = new Runtime(resolveOptions({}, {}));
  installRuntime(rt);
  const finishers: (() => void)[] = [];
  const handlers = Array.from({ length: 3 }, () =>
    spawn("handler", async () => {
      const render = spawn("render", () => new Promise<void>((resolve) => finishers.push(resolve)));
      await render;
    }),
  );
  await new Promise((resolve) => setImmediate(resolve));
  rt.settleDeferred();

  const ops = [...rt.ops.values()].filter((o) => o.source === "JoinHandle::join");
  expect(ops).toHaveLength(3);
  expect(ops.every((o) => o.site === undefined)).toBe(true);
  const location = resolveSite(ops[0]!.resource.site);
  expect(location?.file).toBe(fileURLToPath(import.meta.url));

  for (const finish of finishers) finish();
  await Promise.all(handlers);
});

it("leaves no records for a join that ends before the next publish, but counts the wake", async () => {
  const rt = new Runtime(resolveOptions({}, {}));
  installRuntime(rt);
  const parent = spawn("parent", async () => {
    await spawn("child", () => new Promise<void>((resolve) => setImmediate(resolve)));
  });
  await parent;
  rt.settleDeferred();
  expect(joinResources(rt)).toEqual([]);
  expect([...rt.ops.values()]).toEqual([]);
  const parentTask = [...rt.tasks.values()].find((t) => t.name === "parent")!;
  expect(parentTask.wakes).toBeGreaterThanOrEqual(1);
  expect(parentTask.wakerClones).toBe(parentTask.wakerDrops);
});

it("records every join at once in deep mode, with its time", async () => {
  const rt = new Runtime(resolveOptions({ deep: true }, {}));
  installRuntime(rt);
  let finish!: () => void;
  const parent = spawn("parent", async () => {
    await spawn("child", () => new Promise<void>((resolve) => (finish = resolve)));
  });
  await new Promise((resolve) => setImmediate(resolve));
  const [handle] = joinResources(rt);
  expect(handle?.name).toBe("child");
  const [op] = [...rt.ops.values()].filter((o) => o.resource === handle);
  expect(op?.createdAt).toBeGreaterThanOrEqual(handle!.createdAt);
  finish();
  await parent;
  // The child's finishing completed the wait: woken by the child's task id.
  expect(op?.wokenBy).toBe([...rt.tasks.values()].find((t) => t.name === "child")?.taskId);
});

it("puts a join at its await in user code, like any await, once the await tracker is armed", async () => {
  const rt = new Runtime(resolveOptions({}, {}));
  installRuntime(rt);
  tracker = new AwaitTracker();
  tracker.start(() => true);
  // Loaded by Node itself, not the test runner's transform, so its lines are the file's.
  const fixture = fileURLToPath(new URL("../../test-fixtures/joins.cjs", import.meta.url));
  const text = readFileSync(fixture, "utf8").split("\n");
  const lineOf = (needle: string) => text.findIndex((line) => line.includes(needle)) + 1;
  const { startJoins } = createRequire(import.meta.url)(fixture) as { startJoins: (s: typeof spawn, gate: Promise<void>) => PromiseLike<void>[] };
  let open!: () => void;
  const handles = startJoins(spawn, new Promise<void>((resolve) => (open = resolve)));
  await new Promise((resolve) => setImmediate(resolve));
  rt.settleDeferred();
  await loadSource(fixture);

  const waits = [...rt.ops.values()]
    .filter((op) => op.droppedAt < 0)
    .map((op) => {
      const at = resolveSite(op.site);
      return [op.task?.name, op.source, op.resource.name ?? op.resource.concreteType, at?.file === fixture ? at.line : at?.file, at && sourceLine(at)];
    })
    .sort((a, b) => `${a[0]} ${a[1]}`.localeCompare(`${b[0]} ${b[1]}`));
  const direct = lineOf("await child;");
  const race = lineOf("await Promise.race([slow,");
  const fanOut = lineOf("await Promise.all([spawn(");
  expect(waits).toEqual([
    ["fan-out", "JoinHandle::join", "left", fanOut, text[fanOut - 1]!.trim()],
    ["fan-out", "JoinHandle::join", "right", fanOut, text[fanOut - 1]!.trim()],
    ["parent", "JoinHandle::join", "child", direct, "await child;"],
    // The race shows both of its inputs at its line: the join, and the timer.
    ["racer", "JoinHandle::join", "slow", race, text[race - 1]!.trim()],
    ["racer", "Timer::await", "setTimeout", race, text[race - 1]!.trim()],
  ]);
  open();
  await Promise.all(handles);
});
