/**
 * `insight.owners` parsing and the words for each role, e.g.
 * "sole receiver (mpsc channel)". The label depends on how many tasks share
 * the role, because "sole" is what tells a reader nobody else can help.
 */
import type { DisplayId, FreerCertainty, FreerRole, Nanos, WaitDirection } from "../model.js";
import type { OwnerEntry } from "../entities/resource-entity.js";
import { unitWords } from "./capacity.js";

const ROLES: ReadonlySet<string> = new Set(["holder", "reader", "permit", "receiver", "sender", "party", "task", "notifier"]);

/**
 * Roles that name a closed set: a lock guard or a join handle belongs to
 * exactly these tasks, so nobody else can release it. The other roles only
 * say who used an end before; any code holding a reference could use it too.
 * Permits are not a closed set: a permit is a count that a rate limiter hands
 * to a timer to release, and any code may add permits, so who acquired them
 * says who probably holds them, not who alone can free the semaphore.
 */
const CERTAIN_ROLES: ReadonlySet<FreerRole> = new Set(["holder", "reader", "task"]);

/** Certain for closed-set roles, and for every owner of a resource proven unreachable. */
export function roleCertainty(role: FreerRole, unreachable: boolean): FreerCertainty {
  return unreachable || CERTAIN_ROLES.has(role) ? "certain" : "possible";
}

/**
 * Parses `role:taskId,...`. Repeated `permit` pairs count permits; other
 * repeats collapse. `since` comes from the previous parse so a holder keeps
 * the time it was first seen.
 */
export function parseOwners(text: string, previous: readonly OwnerEntry[] | undefined, now: Nanos | undefined): OwnerEntry[] {
  const counts = new Map<string, { task: DisplayId; role: FreerRole; count: number }>();
  for (const part of text.split(",")) {
    const colon = part.indexOf(":");
    if (colon < 0) continue;
    const role = part.slice(0, colon).trim();
    const id = part.slice(colon + 1).trim();
    if (!ROLES.has(role) || !/^\d+$/.test(id)) continue;
    const key = `${role}:${id}`;
    const entry = counts.get(key);
    if (entry) entry.count++;
    else counts.set(key, { task: BigInt(id), role: role as FreerRole, count: 1 });
  }
  const out: OwnerEntry[] = [];
  for (const entry of counts.values()) {
    const before = previous?.find((p) => p.task === entry.task && p.role === entry.role);
    out.push({ ...entry, since: before ? before.since : now });
  }
  return out;
}

/** "mpsc channel", "mutex"...: how a role label names the primitive. */
export function primitiveName(concreteType: string): string {
  switch (concreteType) {
    case "Channel":
    case "Mpsc":
      return "mpsc channel";
    case "Oneshot":
    case "Sender|Receiver":
      return "oneshot channel";
    case "RwLock":
      return "rwlock";
    case "JoinHandle":
      return "join handle";
    default:
      return concreteType.toLowerCase() || "resource";
  }
}

/**
 * Words for a role. `certain` decides "sole" vs "known": a receiver seen on
 * an ordinary channel is only the task known to have received, while the one
 * receiver of a channel proven unreachable really is the sole one.
 */
export function roleLabel(role: FreerRole, concreteType: string, sharing: number, count: number, certainty: FreerCertainty = "possible"): string {
  const what = primitiveName(concreteType);
  const open = (noun: string): string =>
    certainty === "certain"
      ? sharing <= 1
        ? `sole ${noun} (${what})`
        : `one of ${sharing} ${noun}s (${what})`
      : sharing <= 1
        ? `known ${noun} (${what})`
        : `one of ${sharing} known ${noun}s (${what})`;
  switch (role) {
    case "receiver":
      return open("receiver");
    case "sender":
      return open("sender");
    case "notifier":
      return open("notifier");
    case "holder": {
      const unit = unitWords({ concreteType });
      if (unit) return `holds ${count} ${count === 1 ? unit.unit : unit.plural} (${unit.what})`;
      return concreteType === "RwLock" ? `write lock holder (${what})` : `lock holder (${what})`;
    }
    case "reader":
      return `read lock holder (${what})`;
    case "permit":
      return `holds ${count} permit${count === 1 ? "" : "s"} (${what})`;
    case "party":
      return certainty === "certain" ? `participant not yet arrived (${what})` : `known participant not yet arrived (${what})`;
    case "task":
      return `awaited task: the wait ends when it finishes (${what})`;
  }
}

/** Which roles can end a wait on the given side of a resource. */
export function rolesThatFree(direction: WaitDirection, source: string): ReadonlySet<FreerRole> {
  switch (direction) {
    case "send":
      return RECEIVERS;
    case "recv":
      if (source.startsWith("Notify::")) return NOTIFIERS;
      return source.startsWith("Barrier::") ? PARTIES : SENDERS;
    case "acquire":
      // Readers never block readers: only a writer can hold up a read.
      return /::read/.test(source) ? HOLDERS : LOCKERS;
    case "other":
      if (source.startsWith("Barrier::")) return PARTIES;
      if (source.startsWith("Sender::closed")) return RECEIVERS;
      if (source.startsWith("JoinHandle::")) return JOINED;
      return ALL;
  }
}

const RECEIVERS: ReadonlySet<FreerRole> = new Set(["receiver"]);
const SENDERS: ReadonlySet<FreerRole> = new Set(["sender"]);
const PARTIES: ReadonlySet<FreerRole> = new Set(["party"]);
const NOTIFIERS: ReadonlySet<FreerRole> = new Set(["notifier"]);
const JOINED: ReadonlySet<FreerRole> = new Set(["task"]);
const HOLDERS: ReadonlySet<FreerRole> = new Set(["holder"]);
const LOCKERS: ReadonlySet<FreerRole> = new Set(["holder", "reader", "permit"]);
const ALL: ReadonlySet<FreerRole> = new Set(["holder", "reader", "permit", "receiver", "sender", "party", "task", "notifier"]);
