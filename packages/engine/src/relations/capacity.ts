/**
 * Resources with a number of units (docs/engine.md, "Library resources"):
 * a pool's connections, a limiter's or queue's slots, a pg
 * client's one running query. Adapters publish one `holder` owner per unit
 * held, and `insight.capacity` / `insight.in_use` / `insight.pending` /
 * `insight.timeout_ms`. This file says what those facts prove: whether a
 * wait on such a resource has a way out (a free unit, a unit held outside
 * any task, a timeout), and how the resource is named in words.
 */
import type { Freer, ResourceRecord } from "../model.js";

interface UnitWords {
  /** How a message names the resource: "pool", "limiter". */
  readonly what: string;
  /** One unit: "connection", "slot". */
  readonly unit: string;
  /** What a task holding one does: "holds", "runs in". */
  readonly plural: string;
}

/** Types whose `holder` owners count units, one pair per unit held. */
const UNIT_TYPES: Readonly<Record<string, UnitWords>> = {
  Pool: { what: "pool", unit: "connection", plural: "connections" },
  Client: { what: "client", unit: "query slot", plural: "query slots" },
  Limiter: { what: "limiter", unit: "slot", plural: "slots" },
  PQueue: { what: "queue", unit: "slot", plural: "slots" },
};

/** Library types that are not counted in units, and the word a message uses for them. */
const OTHER_LIBRARY_WORDS: Readonly<Record<string, string>> = {
  Mutex: "mutex",
  Semaphore: "semaphore",
  RwLock: "rwlock",
  Redis: "redis client",
  Agent: "agent",
};

export function unitWords(resource: Pick<ResourceRecord, "concreteType">): UnitWords | undefined {
  return Object.hasOwn(UNIT_TYPES, resource.concreteType) ? UNIT_TYPES[resource.concreteType] : undefined;
}

/** A pool, limiter, queue or client: `holder` owners are per unit, `insight.capacity` is their number. */
export function isUnitResource(resource: Pick<ResourceRecord, "concreteType">): boolean {
  return unitWords(resource) !== undefined;
}

function u64(resource: ResourceRecord, name: string): bigint | undefined {
  const value = resource.attribute(name)?.value;
  return typeof value === "bigint" ? value : undefined;
}

function str(resource: ResourceRecord, name: string): string | undefined {
  const value = resource.attribute(name)?.value;
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** What an adapter said about a library resource; every field is absent when not sent. */
export interface CapacityFacts {
  readonly library: string | undefined;
  readonly capacity: bigint | undefined;
  readonly inUse: bigint | undefined;
  readonly pending: bigint | undefined;
  /** `insight.timeout_ms`: waits on it end by themselves after this long. */
  readonly timeoutMs: bigint | undefined;
}

export function capacityFacts(resource: ResourceRecord): CapacityFacts {
  return {
    library: str(resource, "insight.library"),
    capacity: resource.capacity,
    inUse: u64(resource, "insight.in_use"),
    pending: u64(resource, "insight.pending"),
    timeoutMs: u64(resource, "insight.timeout_ms"),
  };
}

/** Units held by tasks, from the `holder` owners (one pair per unit). */
export function heldUnits(freers: readonly Freer[]): bigint {
  return freers.reduce((n, f) => (f.role === "holder" ? n + BigInt(f.count) : n), 0n);
}

/**
 * Why a wait on this resource can end without any known task acting, or
 * undefined when only its freers can end it:
 * - `timeout`: waits on it fail by themselves after `insight.timeout_ms`;
 * - `free unit`: fewer units in use than exist (one is free or being created);
 * - `unknown holder`: a unit is checked out by code outside any task (or the
 *   holders named do not account for all units), and that code may return it.
 * A side with a way out is no knot: the wait-for graph gives it no edges.
 */
export function wayOut(resource: ResourceRecord, freers: readonly Freer[]): "timeout" | "free unit" | "unknown holder" | undefined {
  const facts = capacityFacts(resource);
  if (facts.timeoutMs !== undefined) return "timeout";
  if (!isUnitResource(resource)) return undefined;
  if (facts.capacity !== undefined && facts.inUse !== undefined && facts.inUse < facts.capacity) return "free unit";
  if (facts.capacity !== undefined && heldUnits(freers) < facts.capacity) return "unknown holder";
  return undefined;
}

/**
 * A unit resource's holders are a closed set only when its capacity is
 * known: without it, a unit might be held by code nobody named.
 */
export function unitHoldersCertain(resource: ResourceRecord): boolean {
  return !isUnitResource(resource) || resource.capacity !== undefined;
}

/**
 * How messages name a library resource: `pool orders-db`, or
 * `Pool 3 at db.mjs:12:14` (the file's name, not its path) when the app gave
 * it no name. A resource of the
 * project's own primitives keeps its plain label (`ledger`).
 */
export function resourceText(resource: Pick<ResourceRecord, "concreteType" | "attribute" | "label" | "name" | "location">): string {
  const library = resource.attribute("insight.library") !== undefined;
  const words = unitWords(resource)?.what ?? OTHER_LIBRARY_WORDS[resource.concreteType];
  if (!library && !isUnitResource(resource)) return resource.label;
  if (resource.name !== undefined) return `${words ?? resource.concreteType.toLowerCase()} ${resource.name}`;
  // The file's own name is enough here: the full path is among the problem's locations.
  return resource.location ? `${resource.label} at ${shortLocation(resource.location)}` : resource.label;
}

/** `/srv/app/db/pool.mjs:12:14` → `pool.mjs:12:14`. */
function shortLocation(location: string): string {
  const slash = Math.max(location.lastIndexOf("/"), location.lastIndexOf("\\"));
  return slash >= 0 ? location.slice(slash + 1) : location;
}

/**
 * The library facts as `[label, value]` pairs for views (`library`,
 * `capacity`, `in_use`, `pending`, `timeout`), in that order, only those sent.
 * Values are the target's text: views sanitise them as any other attribute.
 */
export function capacityPairs(resource: ResourceRecord): Array<[string, string]> {
  const facts = capacityFacts(resource);
  const out: Array<[string, string]> = [];
  if (facts.library !== undefined) out.push(["library", facts.library]);
  if (facts.capacity !== undefined) out.push(["capacity", String(facts.capacity)]);
  if (facts.inUse !== undefined) out.push(["in_use", String(facts.inUse)]);
  if (facts.pending !== undefined) out.push(["pending", String(facts.pending)]);
  if (facts.timeoutMs !== undefined) out.push(["timeout", `${facts.timeoutMs} ms`]);
  return out;
}
