/**
 * The await site is the await the task is suspended at (issue 13 item 3):
 * two tasks of one name blocked at different awaits each show their own line.
 */
import { fileURLToPath } from "node:url";
import { afterEach, expect, it } from "vitest";
import { resolveSite } from "./callsite.js";
import { resolveOptions } from "./config.js";
import { installRuntime, Runtime } from "./runtime.js";

const fixture = fileURLToPath(new URL("../../test-fixtures/abba.mjs", import.meta.url));

let lines: Record<string, number> = {};
const markerLine = (marker: string) => lines[marker];

afterEach(() => installRuntime(undefined));

it.each([false, true])("puts each worker of an ABBA deadlock at its own second lock() (deep=%s)", async (deep) => {
  const rt = new Runtime(resolveOptions({ deep }, {}));
  installRuntime(rt);
  const fixtureModule = (await import("../../test-fixtures/abba.mjs")) as { startAbba: () => Promise<unknown>; lines: Record<string, number> };
  await fixtureModule.startAbba();
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
  lines = fixtureModule.lines;
  expect(Object.keys(lines).sort()).toEqual(["worker-1 first", "worker-1 second", "worker-2 first", "worker-2 second"]);
  // Four distinct lines, so matching one proves the site.
  expect(new Set(Object.values(lines)).size).toBe(4);

  const sites = (resource: string, pending: boolean) =>
    [...rt.ops.values()]
      .filter((op) => op.resource.name === resource && op.source === "Mutex::lock" && op.droppedAt < 0 === pending)
      .map((op) => ({ task: op.task?.name, file: resolveSite(op.site)?.file, line: resolveSite(op.site)?.line }));

  // The warm-up wait, over: worker 1 at its first lock().
  expect(sites("a", false)).toEqual([{ task: "worker", file: fixture, line: markerLine("worker-1 first") }]);
  // Deadlocked: worker 2 waits on `a` at its second lock(), worker 1 on `b` at its second.
  expect(sites("a", true)).toEqual([{ task: "worker", file: fixture, line: markerLine("worker-2 second") }]);
  expect(sites("b", true)).toEqual([{ task: "worker", file: fixture, line: markerLine("worker-1 second") }]);

  // Read sites keep no stack (it would hold the frames' objects alive); the next publish reads the rest.
  rt.settleDeferred();
  expect([...rt.ops.values()].map((op) => op.site?.holder)).toEqual([undefined, undefined, undefined]);
  expect([...rt.resources.values()].every((r) => r.site?.holder === undefined)).toBe(true);
});
