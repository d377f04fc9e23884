import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterEach, expect, it } from "vitest";
import { spawn } from "../spawn.js";
import { Channel } from "../sync/channel.js";
import { resolveOptions } from "./config.js";
import { installRuntime, Runtime } from "./runtime.js";

afterEach(() => installRuntime(undefined));

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

it("keeps a channel alive while a task waits on it, even when the stuck chain is garbage to V8", async () => {
  const rt = new Runtime(resolveOptions({}, {}));
  installRuntime(rt);
  // The story's bug: one task sends twice into a channel of capacity 1 that only it reads.
  // Nothing outside references the task's promise, so V8 could collect the whole chain.
  void spawn("stuck", async () => {
    const channel = new Channel<number>(1, { name: "self_fed" });
    await channel.send(1);
    await channel.send(2);
  });
  await new Promise((resolve) => setImmediate(resolve));
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const channel = [...rt.resources.values()].find((r) => r.name === "self_fed");
  expect(channel?.droppedAt).toBe(-1);
  expect(channel?.target.deref()).toBeDefined();
  const [op] = [...rt.ops.values()].filter((o) => o.resource === channel);
  expect(op?.droppedAt).toBe(-1);
});
