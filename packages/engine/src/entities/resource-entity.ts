/** A resource's mutable record, with its owners (stated or inferred). */
import type { AttributeEntry, DisplayId, FreerCertainty, FreerRole, Nanos, ResourceRecord, Visibility } from "../model.js";
import { SpanEntity } from "./span-entity.js";

/** One stated or inferred role of a task towards a resource. */
export interface OwnerEntry {
  readonly task: DisplayId;
  readonly role: FreerRole;
  readonly count: number;
  readonly since: Nanos | undefined;
  /** Set when the evidence is weaker than the role's usual class (tokio semaphore permits: see tokio-lock-holders.ts). */
  readonly certainty?: FreerCertainty;
}

export class ResourceEntity extends SpanEntity implements ResourceRecord {
  concreteType = "";
  kind = "";
  location: string | undefined = undefined;
  target: string | undefined = undefined;
  parent: DisplayId | undefined = undefined;
  visibility: Visibility = "public";
  createdAt: Nanos | undefined = undefined;
  droppedAt: Nanos | undefined = undefined;
  /** Parsed `insight.owners`; undefined when the target never sent it (tokio). */
  owners: OwnerEntry[] | undefined = undefined;
  /** The store update that last changed its attributes or dropped it: older means the state held at two updates. */
  changedAt = 0;
  /** Holders inferred from tokio poll ops; keyed by task display id. */
  inferred: Map<DisplayId, OwnerEntry> | undefined = undefined;

  get entity(): "resource" {
    return "resource";
  }

  get name(): string | undefined {
    const value = this.attrs.get("insight.name")?.value;
    return typeof value === "string" && value !== "" ? value : undefined;
  }

  get label(): string {
    return this.name ?? `${this.concreteType || "resource"} ${this.id}`;
  }

  get attributes(): readonly AttributeEntry[] {
    return this.attrs.values();
  }

  attribute(name: string): AttributeEntry | undefined {
    return this.attrs.get(name);
  }

  get dropped(): boolean {
    return this.droppedAt !== undefined;
  }

  get unreachable(): boolean {
    return this.attrs.get("insight.unreachable")?.value === true;
  }

  get leaked(): bigint {
    const value = this.attrs.get("insight.leaked")?.value;
    return typeof value === "bigint" ? value : 0n;
  }

  get capacity(): bigint | undefined {
    const value = this.attrs.get("insight.capacity")?.value;
    return typeof value === "bigint" ? value : undefined;
  }
}
