/**
 * Awaits of any promise (issue 14 item 2): a task suspended on a plain
 * promise or a Node API shows its await site and what it awaits.
 */
import { fileURLToPath } from "node:url";
import { afterEach, expect, it } from "vitest";
import { resolveSite } from "./callsite.js";
import { resolveOptions } from "./config.js";
import { AwaitNote, AwaitTracker } from "./await-tracker.js";
import { installRuntime, Runtime } from "./runtime.js";

const fixture = fileURLToPath(new URL("../../test-fixtures/awaits.mjs", import.meta.url));
let tracker: AwaitTracker | undefined;

afterEach(() => {
  tracker?.stop();
  installRuntime(undefined);
});

interface Fixture {
  startAwaits: () => unknown[];
  lines: Record<string, number>;
  release: () => void;
  emitter: { emit(name: string): boolean };
}

const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

it("records each task's await site and what it awaits, as async ops on resources", async () => {
  const rt = new Runtime(resolveOptions({}, {}));
  installRuntime(rt);
  tracker = new AwaitTracker();
  tracker.start(() => true);
  const fx = (await import("../../test-fixtures/awaits.mjs")) as Fixture;
  fx.startAwaits();
  // Recorded at the next publish, while everything is still pending.
  rt.settleDeferred();
  const lines = fx.lines;
  const rel = "packages/insight/test-fixtures/awaits.mjs";
  const ops = () =>
    [...rt.ops.values()].map((op) => ({
      task: op.task?.name,
      source: op.source,
      pending: op.droppedAt < 0,
      line: resolveSite(op.site)?.line,
      file: resolveSite(op.site)?.file,
      reason: op.reason,
      created: resolveSite(op.resource.site)?.line,
    }));
  const col = (reason: string) => reason.replace(/:\d+$/, "");
  const byTask = (name: string) => ops().filter((o) => o.task === name);

  expect(byTask("plain").map((o) => ({ ...o, reason: col(o.reason) }))).toEqual([
    {
      task: "plain",
      source: "Promise::await",
      pending: true,
      line: lines.plain,
      file: fixture,
      reason: `waiting for a promise created at ${rel}:${lines.created}`,
      created: lines.created,
    },
  ]);
  expect(byTask("timer")).toEqual([
    {
      task: "timer",
      source: "Timer::await",
      pending: true,
      line: lines.timer,
      file: fixture,
      reason: "waiting for a timer (setTimeout)",
      created: lines.timer,
    },
  ]);
  // Suspended in inner(): that is where the task waits.
  expect(byTask("nested").map((o) => [o.source, o.line, o.reason])).toEqual([["Timer::await", lines.inner, "waiting for a timer (setTimeout)"]]);
  expect(byTask("event").map((o) => [o.source, o.line, o.reason])).toEqual([["EventEmitter::await", lines.event, "waiting for an event (events.once)"]]);
  expect(byTask("file").map((o) => [o.source, o.line, o.reason])).toEqual([["Fs::await", lines.file, "waiting for fs.readFile"]]);
  // An insight primitive's wait is recorded by the primitive alone.
  expect(byTask("locked").map((o) => [o.source, o.line])).toEqual([["Mutex::lock", lines.locked]]);
  expect(
    [...rt.resources.values()]
      .filter((r) => r.concreteType !== "Mutex")
      .map((r) => r.concreteType)
      .sort(),
  ).toEqual(["EventEmitter", "Fs", "Promise", "Timer", "Timer"]);

  // Settling ends the op; the next await is recorded at its own line.
  fx.release();
  fx.emitter.emit("go");
  await turns(3);
  rt.settleDeferred();
  expect(byTask("plain").map((o) => [o.source, o.pending, o.line, o.created])).toEqual([
    ["Promise::await", false, lines.plain, lines.created],
    ["Promise::await", true, lines["plain again"], lines["plain again"]],
  ]);
  expect(byTask("event").map((o) => o.pending)).toEqual([false]);
  const event = [...rt.resources.values()].find((r) => r.concreteType === "EventEmitter");
  expect(event?.droppedAt).toBeGreaterThan(0);
  // Nothing is noted while the tracker is off.
  tracker.stop();
  const before = rt.ops.size;
  fx.startAwaits();
  rt.settleDeferred();
  expect([...rt.ops.values()].slice(before).map((o) => o.source)).toEqual(["Mutex::lock"]);
});

it("shows the app's own await once the library's await before it is over, keeping no stack meanwhile", () => {
  const rt = new Runtime(resolveOptions({}, {}));
  installRuntime(rt);
  const task = rt.createTask("handler", "task", {}, undefined, undefined);
  // A stack whose top is the caller of here(), and that caller's line as the runtime sees it.
  const here = (): [{ stack?: unknown }, number] => {
    const holder: { stack?: unknown } = {};
    Error.captureStackTrace(holder, here);
    const probe: { stack?: unknown } = {};
    Error.captureStackTrace(probe, here);
    const previous = Error.prepareStackTrace;
    Error.prepareStackTrace = (_error, frames) => frames[0]!.getLineNumber();
    try {
      return [holder, probe.stack as number];
    } finally {
      Error.prepareStackTrace = previous;
    }
  };
  // A library's short inner await, then the app's own await of the library's promise (await-note.ts `primary`).
  const [innerStack, innerLine] = here();
  const [ownStack, ownLine] = here();
  const inner = new AwaitNote(task, 1, innerStack, undefined);
  const own = new AwaitNote(task, 2, ownStack, undefined);
  own.primary = inner;
  task.pendingAwaits += 2;
  inner.record(rt);
  own.record(rt);
  const line = (op: { site: Parameters<typeof resolveSite>[0] }) => resolveSite(op.site)?.line;
  expect([...rt.ops.values()].map((op) => [op.source, op.createdAt, op.droppedAt < 0])).toEqual([["Promise::await", 1, true]]);
  // Kept for the next publish as plain frames: no captured stack (it would hold the frames' objects alive).
  expect([own.stack, own.created, own.ended]).toEqual([undefined, undefined, false]);
  rt.settleDeferred();
  expect(rt.ops.size).toBe(1);

  inner.end();
  rt.settleDeferred();
  const ops = [...rt.ops.values()];
  expect(ops.map((op) => [op.source, op.createdAt, op.droppedAt < 0])).toEqual([
    ["Promise::await", 1, false],
    ["Promise::await", 2, true],
  ]);
  expect(ops.map((op) => [resolveSite(op.site)?.file, line(op)])).toEqual([
    [fileURLToPath(import.meta.url), innerLine],
    [fileURLToPath(import.meta.url), ownLine],
  ]);
  expect(task.pendingAwaits).toBe(0);
  expect(task.pendingOps).toBe(1);
});
