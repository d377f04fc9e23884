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
import type { LiveTask } from "./records.js";

const CHANNEL = "http.server.request.start";

/**
 * The context of each request whose response is still open, held by its
 * response (a property of the response object: no strong path from insight
 * itself). Ending the response is the request's progress, and anyone holding
 * the response (a long-poll list, the socket) can end it, while the handler
 * may have left nothing behind that runs its code: the GC proof must not call
 * the request stuck while its response can still close (docs/model.md). Once
 * the response has closed, only the handler's own continuations keep the
 * request alive. A property rather than a WeakMap entry: an ephemeron per
 * request is work for every scavenge while the request lasts, and the
 * reachability is the same.
 */
const OPEN_CONTEXT = Symbol("insight.request-context");

type TrackedResponse = ServerResponse & { [OPEN_CONTEXT]?: TaskContext | undefined };

interface RequestStart {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
}

/**
 * Requests whose first poll (the handler's synchronous run) is still going.
 * Every request starts in its own macrotask, so this holds one task at a
 * time; a list and one shared callback rather than a closure per request.
 */
let firstPolls: LiveTask[] = [];

function endFirstPolls(): void {
  const tasks = firstPolls;
  firstPolls = [];
  const rt = runtime;
  if (rt === undefined) return;
  const end = now();
  for (const task of tasks) rt.poll(task, task.createdAt, end);
}

/** One listener shared by every response (no closure per request): the response's request task is found through its context. */
function onResponseClose(this: TrackedResponse): void {
  const context = this[OPEN_CONTEXT];
  if (context === undefined) return;
  this[OPEN_CONTEXT] = undefined;
  const rt = runtime;
  if (rt !== undefined) responseClosed(rt, context.record);
}

function onRequestStart(message: unknown): void {
  const rt = runtime;
  if (!rt) return;
  try {
    const { request, response } = message as RequestStart;
    const url = request.url ?? "/";
    const query = url.indexOf("?");
    const path = query < 0 ? url : url.slice(0, query);
    const method = request.method ?? "";
    // An incoming request is a root task (null: no parent). The parser's context may still carry the
    // previous request of a keep-alive connection, which is not what started this one.
    const task = rt.createTask(`${method || "?"} ${path}`, "request", { "http.method": method, "http.target": url }, undefined, null, now());
    const context = newTaskContext(task);
    (response as TrackedResponse)[OPEN_CONTEXT] = context;
    taskStorage.enterWith(context);
    // The handler runs synchronously after this returns; the microtask runs
    // once it has, closing the request's first poll (which began at the task's creation).
    if (firstPolls.push(task) === 1) queueMicrotask(endFirstPolls);
    // A handler still waiting when the client goes stays visible until its work ends (orphans.ts).
    // 'close' is emitted once per response.
    response.on("close", onResponseClose);
  } catch (error) {
    debug("could not create a request task: %s", error);
  }
}

export function subscribeHttpTasks(): () => void {
  diagnosticsChannel.subscribe(CHANNEL, onRequestStart);
  return () => diagnosticsChannel.unsubscribe(CHANNEL, onRequestStart);
}
