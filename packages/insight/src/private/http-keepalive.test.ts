/**
 * Requests on one keep-alive connection are siblings, not parent and child:
 * the HTTP parser's async context still carries the previous request's task
 * when the next one starts, and a request task that took it as its parent
 * was reported as a detached task once the first request completed.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, expect, it } from "vitest";
import { resolveOptions } from "./config.js";
import { subscribeHttpTasks } from "./http-tasks.js";
import { enablePollHooks } from "./poll-hooks.js";
import { installRuntime, Runtime } from "./runtime.js";
import { currentLiveTask } from "./task-context.js";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  installRuntime(undefined);
});

it("gives each request on a keep-alive connection no parent task", async () => {
  const rt = new Runtime(resolveOptions({}, {}));
  installRuntime(rt);
  cleanups.push(subscribeHttpTasks(), enablePollHooks());
  const seen: { name: string; spanId: number; parentSpanId: number }[] = [];
  const server = http.createServer((_request, response) => {
    const task = currentLiveTask();
    if (task) seen.push({ name: task.name, spanId: task.spanId, parentSpanId: task.parentSpanId });
    response.end("ok");
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  cleanups.push(() => agent.destroy());
  const port = (server.address() as AddressInfo).port;
  const sockets = new Set<unknown>();
  for (const path of ["/first", "/second", "/third"]) {
    await new Promise<void>((resolve, reject) => {
      const request = http.get({ host: "127.0.0.1", port, path, agent }, (response) => {
        sockets.add(request.socket);
        response.resume();
        response.on("end", resolve);
      });
      request.on("error", reject);
    });
  }
  // The three requests really shared one connection, so the parser's context was reused.
  expect(sockets.size).toBe(1);
  expect(seen.map(({ name, parentSpanId }) => ({ name, parentSpanId }))).toEqual([
    { name: "GET /first", parentSpanId: 0 },
    { name: "GET /second", parentSpanId: 0 },
    { name: "GET /third", parentSpanId: 0 },
  ]);
});
