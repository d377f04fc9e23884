/** Words for a wait, from insight's `insight.reason` or, for tokio, from the op's source. */

export function reasonFromSource(source: string): string {
  if (/send/i.test(source)) return "send: waiting on channel capacity";
  if (/recv|Receiver::await/i.test(source)) return "waiting for a message";
  if (/Mutex::lock/.test(source)) return "waiting for lock";
  if (/RwLock::read/.test(source)) return "waiting for read lock";
  if (/RwLock::write/.test(source)) return "waiting for write lock";
  if (/Barrier::wait/.test(source)) return "waiting at barrier";
  if (/Semaphore|Acquire/.test(source)) return "waiting for a permit";
  if (/Notify/.test(source)) return "waiting for a notification";
  if (/Sleep|Interval|sleep/.test(source)) return "waiting for a timer";
  return `waiting in ${source || "an async op"}`;
}

export function directionOf(source: string, reason: string): "send" | "recv" | undefined {
  if (/send/i.test(source) || /^send/.test(reason)) return "send";
  if (/recv|Receiver::await/i.test(source) || /message/.test(reason)) return "recv";
  return undefined;
}

const ROLE_WORDS: Readonly<Record<string, string>> = {
  holder: "holder",
  reader: "reader",
  permit: "permit holder",
  receiver: "receiver",
  sender: "sender",
  party: "barrier party not yet arrived",
};

/** Parses `insight.owners` ("receiver:7,sender:7,sender:9") into [role words, task.id] pairs. */
export function parseOwners(text: string, concreteType: string): Array<[string, string]> {
  const pairs = text
    .split(",")
    .map((part) => part.trim().split(":"))
    .filter((p): p is [string, string] => p.length === 2 && p[0] !== "" && p[1] !== "");
  const receivers = pairs.filter(([role]) => role === "receiver").length;
  return pairs.map(([role, id]) => {
    if (role === "receiver" && receivers === 1 && /channel/i.test(concreteType)) return ["sole receiver (mpsc channel)", id];
    return [ROLE_WORDS[role] ?? role, id];
  });
}
