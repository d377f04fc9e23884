/**
 * One task per incoming HTTP request, from node:http's diagnostics channel
 * `http.server.request.start` (present on Node 20, 22 and 24). The channel is
 * published synchronously just before the server emits 'request', so entering
 * the task's context there makes the handler and everything it schedules run
 * as that task. The task ends when the response closes (finished or aborted).
 */
import diagnosticsChannel from "node:diagnostics_channel";
import type { IncomingMessage, ServerResponse } from "node:http";
import { now } from "./clock.js";
import { debug } from "./debug.js";
import { runtime } from "./runtime.js";
import { taskStorage } from "./task-context.js";

const CHANNEL = "http.server.request.start";

interface RequestStart {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
}

function onRequestStart(message: unknown): void {
  const rt = runtime;
  if (!rt) return;
  try {
    const { request, response } = message as RequestStart;
    const url = request.url ?? "/";
    const path = url.split("?")[0] ?? url;
    const start = now();
    const task = rt.createTask(`${request.method ?? "?"} ${path}`, "request", { "http.method": request.method ?? "", "http.target": url }, undefined, undefined, start);
    taskStorage.enterWith(task);
    // The handler runs synchronously after this returns; the microtask runs
    // once it has, closing the request's first poll.
    queueMicrotask(() => runtime?.poll(task, start, now()));
    response.once("close", () => rt.completeTask(task));
  } catch (error) {
    debug("could not create a request task: %s", error);
  }
}

export function subscribeHttpTasks(): () => void {
  diagnosticsChannel.subscribe(CHANNEL, onRequestStart);
  return () => diagnosticsChannel.unsubscribe(CHANNEL, onRequestStart);
}
