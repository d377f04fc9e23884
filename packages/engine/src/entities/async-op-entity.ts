/** An async op's mutable record. */
import type { AsyncOpRecord, AttributeEntry, DisplayId, Nanos } from "../model.js";
import { reasonForSource } from "./reasons.js";
import { SpanEntity } from "./span-entity.js";

export class AsyncOpEntity extends SpanEntity implements AsyncOpRecord {
  source = "";
  resource: DisplayId | undefined = undefined;
  parent: DisplayId | undefined = undefined;
  task: DisplayId | undefined = undefined;
  awaitLocation: string | undefined = undefined;
  lastPollReady: boolean | undefined = undefined;
  polls = 0n;
  busy: Nanos = 0n;
  createdAt: Nanos | undefined = undefined;
  droppedAt: Nanos | undefined = undefined;
  /** Whether the store already counted this op's woken-by edge. */
  wakeRecorded = false;
  /** The store update that first reported this op (a wait seen at two updates existed at the first). */
  firstUpdate = 0;
  /** The task whose `ops` set currently lists this op. */
  registeredTask: DisplayId | undefined = undefined;

  get entity(): "asyncOp" {
    return "asyncOp";
  }

  get attributes(): readonly AttributeEntry[] {
    return this.attrs.values();
  }

  get awaitLine(): string | undefined {
    const value = this.attrs.get("insight.await_line")?.value;
    return typeof value === "string" ? value : undefined;
  }

  get reason(): string {
    const value = this.attrs.get("insight.reason")?.value;
    return typeof value === "string" && value !== "" ? value : reasonForSource(this.source);
  }

  get reasonInferred(): boolean {
    const value = this.attrs.get("insight.reason")?.value;
    return !(typeof value === "string" && value !== "");
  }

  get wokenBy(): DisplayId | undefined {
    const value = this.attrs.get("insight.woken_by")?.value;
    return typeof value === "bigint" ? value : undefined;
  }

  get requested(): bigint | undefined {
    const value = this.attrs.get("insight.requested")?.value ?? this.attrs.get("permits_requested")?.value;
    return typeof value === "bigint" ? value : undefined;
  }

  get pending(): boolean {
    return this.droppedAt === undefined && this.wokenBy === undefined && this.lastPollReady !== true;
  }
}
