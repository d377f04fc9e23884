/** An async op's mutable record. */
import type { AsyncOpRecord, AttributeEntry, DisplayId, Nanos } from "../model.js";
import { reasonForSource } from "../relations/reasons.js";
import type { SpanKey } from "../private/span-key.js";
import { AttributeMap } from "./attributes.js";

export class AsyncOpEntity implements AsyncOpRecord {
  id: DisplayId;
  /** The span id as a compact key (see span-key.ts), shared with the store's index; `spanId` converts. */
  readonly spanKey: SpanKey;
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
  readonly attrs = new AttributeMap();
  /** Whether the store already counted this op's woken-by edge. */
  wakeRecorded = false;
  /** The store update that first reported this op (a wait seen at two updates existed at the first). */
  firstUpdate = 0;
  /** The task whose `ops` set currently lists this op. */
  registeredTask: DisplayId | undefined = undefined;

  constructor(id: DisplayId, spanKey: SpanKey) {
    this.id = id;
    this.spanKey = spanKey;
  }

  get spanId(): bigint {
    return BigInt(this.spanKey);
  }

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
