/**
 * Polls are counted whichever order the promise hooks run in: on Node 20 and
 * 22 AsyncLocalStorage switches the context in hooks of its own, and another
 * AsyncLocalStorage enabled before insight's poll hooks (the app's, a
 * tracer's) makes them run first, so the context is already gone again in
 * insight's `after`.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, expect, it } from "vitest";
import { resolveOptions } from "./config.js";
import { enablePollHooks } from "./poll-hooks.js";
import { installRuntime, Runtime } from "./runtime.js";
import { newTaskContext, taskStorage } from "./task-context.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
  installRuntime(undefined);
});

async function pollsOfTwoAwaits(): Promise<number> {
  const rt = new Runtime(resolveOptions({}, {}));
  installRuntime(rt);
  cleanups.push(enablePollHooks());
  const task = rt.createTask("worker", "task", {}, undefined, undefined);
  await taskStorage.run(newTaskContext(task), async () => {
    await sleep(1);
    await null;
  });
  return task.polls;
}

it("counts each continuation of a task as one poll", async () => {
  expect(await pollsOfTwoAwaits()).toBe(2);
});

it("counts them when another AsyncLocalStorage's hooks were installed before insight's", async () => {
  // Enabled first and kept enabled: its hooks stay ahead of the poll hooks installed after.
  const other = new AsyncLocalStorage<number>();
  other.enterWith(1);
  cleanups.push(() => other.disable());
  expect(await pollsOfTwoAwaits()).toBe(2);
});
