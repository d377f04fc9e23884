/**
 * Reasons in words for tokio's async-op sources (insight sends its own in
 * `insight.reason`), and which side of a resource a wait is on.
 */
import type { WaitDirection } from "../model.js";

const AWAIT_OF_ANY_PROMISE = /^(Promise|Timer|Fetch|HttpRequest|Fs|Dns|EventEmitter|Stream|ChildProcess|Worker|Socket)::await$/;

const REASONS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^Mutex::lock/, "waiting for lock"],
  [/^RwLock::read/, "waiting for read lock"],
  [/^RwLock::write/, "waiting for write lock"],
  [/^Semaphore::acquire/, "waiting for permits"],
  [/^Acquire::new/, "waiting for permits"],
  [/^Barrier::wait/, "waiting at barrier"],
  [/^Receiver::await/, "waiting for a value"],
  [/^Sender::closed/, "waiting for the receiver to close"],
  [/^Sleep::/, "waiting for timer"],
  [/^Interval::tick/, "waiting for the next tick"],
  [/^Notify::notified/, "waiting for a notification"],
  [/^(Channel|Sender)::(send|reserve)/, "send: waiting on channel capacity"],
  [/^(Channel|Receiver)::recv/, "waiting for a message"],
  [/^Oneshot::recv/, "waiting for a value"],
  [/^JoinHandle::join/, "waiting for the task to finish"],
  // Library resources (adapters send their own reason naming the holders; these are the fallback).
  [/^Pool::(acquire|connect)$/, "waiting for a pool connection"],
  [/^Client::query$/, "waiting for the client's earlier queries"],
  [/^Mutex::acquire$/, "waiting for lock"],
  [/^Limiter::run$/, "waiting for a limiter slot"],
  [/^PQueue::add$/, "waiting for a queue slot"],
  [/^(Agent|Pool)::dispatch$/, "waiting for a connection"],
  [/^Redis::command$/, "waiting for the redis connection"],
  // insight: an await of a promise that is not one of its primitives (docs/model.md, "Awaits of any promise").
  [AWAIT_OF_ANY_PROMISE, "waiting for a promise"],
];

const LIBRARY_ACQUIRES = /^(Pool::(acquire|connect|dispatch)|Agent::dispatch|Client::query|Limiter::run|PQueue::add)$/;

export function reasonForSource(source: string): string {
  for (const [pattern, reason] of REASONS) if (pattern.test(source)) return reason;
  return source ? `waiting on ${source}` : "waiting";
}

/** send waits are freed by receivers, recv waits by senders, acquires by holders. */
export function directionForSource(source: string): WaitDirection {
  // A plain promise has no sides: nobody is known to be able to settle it.
  if (AWAIT_OF_ANY_PROMISE.test(source)) return "other";
  // A library wait for a unit (connection, slot, the client's turn) is an acquire: holders free it.
  if (LIBRARY_ACQUIRES.test(source)) return "acquire";
  const method = source.slice(source.lastIndexOf("::") + 2);
  if (/^(send|reserve|try_send|send_timeout)/.test(method)) return "send";
  if (/^(recv|await|changed|notified)/.test(method) || source.startsWith("Receiver::")) return "recv";
  if (/^(lock|read|write|acquire)/.test(method) || source.startsWith("Acquire::")) return "acquire";
  return "other";
}
