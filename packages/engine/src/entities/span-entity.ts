/** What a resource and an async op share: a display id, the span they came from, and their attributes held on themselves. */
import type { DisplayId } from "../model.js";
import type { SpanKey } from "../private/span-key.js";
import { AttributeMap } from "./attributes.js";

export abstract class SpanEntity extends AttributeMap {
  id: DisplayId;
  /** The span id as a compact key (see span-key.ts), shared with the store's index; `spanId` converts. */
  readonly spanKey: SpanKey;

  constructor(id: DisplayId, spanKey: SpanKey) {
    super();
    this.id = id;
    this.spanKey = spanKey;
  }

  /**
   * Its attributes. The entity is its own attribute map: a map object beside
   * it cost 40 bytes for each of the tens of thousands of timers a busy
   * runtime keeps for the retention window.
   */
  get attrs(): AttributeMap {
    return this;
  }

  get spanId(): bigint {
    return BigInt(this.spanKey);
  }
}
