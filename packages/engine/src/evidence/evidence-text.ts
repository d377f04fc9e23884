/**
 * The words that name a verdict's grounds: who holds what, or who is merely
 * known to use an end. Every verdict says what it rests on, so a reader can
 * weigh a "likely" warning against what they know of the code.
 */
import type { DisplayId, Freer, FreerRole, ResourceRecord, TaskRecord } from "../model.js";
import { heldUnits, resourceText, unitWords } from "../relations/capacity.js";

/** `7 "worker"` or `7`, as in lint messages. */
export function taskName(task: TaskRecord | undefined, id: DisplayId): string {
  return task?.name ? `${id} "${task.name}"` : `${id}`;
}

/** "1", "1 and 2", "1, 2 and 3". */
export function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/**
 * One resource side's freers as a clause: `m1 is held by 1 "a"`, or for the
 * possible roles `the only tasks known to receive from jobs are 2 "b"`.
 */
export function freerClause(resource: ResourceRecord, freers: readonly Freer[], name: (id: DisplayId) => string): string {
  const byRole = new Map<FreerRole, string[]>();
  for (const f of freers) {
    const list = byRole.get(f.role) ?? [];
    const who = name(f.task);
    if (!list.includes(who)) list.push(who);
    byRole.set(f.role, list);
  }
  // A library resource says what it is ("mutex cache-lock"); the project's own keep their name.
  const label = resourceText(resource);
  const clauses: string[] = [];
  for (const [role, who] of byRole) {
    const tasks = listWords(who);
    const one = who.length === 1;
    switch (role) {
      case "holder":
        clauses.push(`${label} is held by ${tasks}`);
        break;
      case "reader":
        clauses.push(`${label} is read-locked by ${tasks}`);
        break;
      case "permit":
        clauses.push(`the permits of ${label} are held by ${tasks}`);
        break;
      case "task":
        clauses.push(`${label} ends only when ${tasks} finish${one ? "es" : ""}`);
        break;
      case "party":
        if (resource.unreachable) clauses.push(`${label} is unreachable: only ${tasks} can still arrive at it`);
        else clauses.push(`the only task${one ? "" : "s"} known to be missing at ${label} ${one ? "is" : "are"} ${tasks}`);
        break;
      default: {
        const verb = POSSIBLE_VERBS[role] ?? { bare: "use", prep: "" };
        if (resource.unreachable) clauses.push(`${label} is unreachable: only ${tasks} can still ${verb.bare} ${verb.prep}it`);
        else clauses.push(`the only task${one ? "" : "s"} known to ${verb.bare} ${verb.prep}${label} ${one ? "is" : "are"} ${tasks}`);
      }
    }
  }
  return clauses.join("; ");
}

const POSSIBLE_VERBS: Record<string, { bare: string; prep: string }> = {
  receiver: { bare: "receive", prep: "from " },
  sender: { bare: "send", prep: "to " },
  notifier: { bare: "notify", prep: "" },
};

/**
 * A pool's (limiter's, queue's) holders as a clause: `pool orders-db: 2/2
 * connections held by tasks 4 and 7, each waiting for another connection
 * from it`.
 * `waitingHere` says which holders wait on this same resource.
 */
export function unitClause(resource: ResourceRecord, holders: readonly Freer[], waitingHere: (id: DisplayId) => boolean): string {
  const words = unitWords(resource);
  const held = heldUnits(holders);
  const capacity = resource.capacity;
  const unit = words ? (held === 1n && capacity === 1n ? words.unit : words.plural) : "units";
  // Bare ids: the cycle's message has already named each task.
  const ids = [...new Set(holders.map((h) => String(h.task)))];
  const one = ids.length === 1;
  const who = `task${one ? "" : "s"} ${listWords(ids)}`;
  const every = holders.length > 0 && holders.every((h) => waitingHere(h.task));
  const tail = every ? (one ? `, waiting for another ${words?.unit ?? "unit"} from it` : `, each waiting for another ${words?.unit ?? "unit"} from it`) : "";
  return `${resourceText(resource)}: ${held}${capacity !== undefined ? `/${capacity}` : ""} ${unit} held by ${who}${tail}`;
}
