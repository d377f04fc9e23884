/**
 * One task per incoming HTTP request, from node:http's diagnostics channel
 * `http.server.request.start` (present on Node 20, 22 and 24). The channel is
 * published synchronously just before the server emits 'request', so entering
 * the task's context there makes the handler and everything it schedules run
 * as that task. The task ends when the response closes (finished or aborted),
 * or, if the handler still waits then, when its work ends (orphans.ts).
 */
import diagnosticsChannel from "node:diagnostics_channel";
import type { IncomingMessage, ServerResponse } from "node:http";
import { now } from "./clock.js";
import { debug } from "./debug.js";
import { runtime } from "./runtime.js";
import { responseClosed } from "./orphans.js";
import { newTaskContext, taskStorage, type TaskContext } from "./task-context.js";

const CHANNEL = "http.server.request.start";

/**
 * The context of each request whose response is still open, held through its
 * response (ephemeron: no strong path from insight itself). Ending the
 * response is the request's progress, and anyone holding the response (a
 * long-poll list, the socket) can end it, while the handler may have left
 * nothing behind that runs its code: the GC proof must not call the request
 * stuck while its response can still close (docs/model.md). Once the response
 * has closed, only the handler's own continuations keep the request alive.
 */
const openResponses = new WeakMap<ServerResponse, TaskContext>();

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
    const context = newTaskContext(task);
    openResponses.set(response, context);
    taskStorage.enterWith(context);
    // The handler runs synchronously after this returns; the microtask runs
    // once it has, closing the request's first poll.
    queueMicrotask(() => runtime?.poll(task, start, now()));
    // A handler still waiting when the client goes stays visible until its work ends (orphans.ts).
    response.once("close", () => {
      openResponses.delete(response);
      responseClosed(rt, task);
    });
  } catch (error) {
    debug("could not create a request task: %s", error);
  }
}

export function subscribeHttpTasks(): () => void {
  diagnosticsChannel.subscribe(CHANNEL, onRequestStart);
  return () => diagnosticsChannel.unsubscribe(CHANNEL, onRequestStart);
}
