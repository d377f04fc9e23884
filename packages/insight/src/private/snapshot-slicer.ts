/**
 * A console's first snapshot, built in bounded slices. Built at once, the
 * snapshot of a busy app (tens of thousands of retained records) held the
 * host's event loop for over a second, longer with every minute of uptime.
 * Here the records to send are listed when the console attaches (span ids
 * only: cheap), and each slice turns at most a few milliseconds' worth of
 * them into one Update; the caller yields to the event loop between slices.
 *
 * Every slice carries the same `now` (the attach time), which is how clients
 * recognise the pieces of one snapshot (as for a split update), and the
 * metadata registered since the previous slice, so no op refers to metadata
 * the console has not seen.
 */
import { create } from "@bufbuild/protobuf";
import { RegisterMetadataSchema, type Update } from "@async-insight/protocol";
import { now } from "./clock.js";
import type { Runtime } from "./runtime.js";
import type { RecordCursor, WireBuilder } from "./wire.js";

const KINDS = ["task", "resource", "op"] as const;

export interface SliceBudget {
  /** Stop a slice once it has taken this long. */
  readonly maxMs: number;
  /** And at most this many records per slice. */
  readonly maxRecords: number;
}

export const DEFAULT_SLICE_BUDGET: SliceBudget = { maxMs: 4, maxRecords: 2000 };

/** Records between two looks at the clock. */
const CLOCK_EVERY = 32;

export interface UnreadIds {
  readonly tasks: ReadonlySet<string>;
  readonly resources: ReadonlySet<string>;
  readonly ops: ReadonlySet<string>;
}

export class SnapshotSlicer {
  readonly #wire: WireBuilder;
  readonly #budget: SliceBudget;
  readonly #stamp: number;
  /** Tasks, then resources, then ops: a console learns entities before the waits that name them. */
  readonly #lists: readonly (readonly number[])[];
  readonly #total: number;
  #position = 0;
  #metadataSent = 0;
  #slices = 0;

  constructor(runtime: Runtime, wire: WireBuilder, budget: SliceBudget = DEFAULT_SLICE_BUDGET) {
    runtime.settleDeferred();
    this.#wire = wire;
    this.#budget = budget;
    this.#stamp = now();
    this.#lists = [Array.from(runtime.tasks.keys()), Array.from(runtime.resources.keys()), Array.from(runtime.ops.keys())];
    this.#total = this.#lists.reduce((n, list) => n + list.length, 0);
  }

  /** Records listed at attach time that have been read into slices. */
  get position(): number {
    return this.#position;
  }

  get total(): number {
    return this.#total;
  }

  get slices(): number {
    return this.#slices;
  }

  /** True once every slice (at least one, even for an empty state) was taken. */
  get done(): boolean {
    return this.#slices > 0 && this.#position >= this.#total;
  }

  /** The next slice, or undefined when done. */
  next(): Update | undefined {
    if (this.done) return undefined;
    const started = now();
    let taken = 0;
    const cursor: RecordCursor = {
      next: () => {
        if (this.#position >= this.#total || taken >= this.#budget.maxRecords) return undefined;
        // The clock is read every few records: building them is the cost being bounded.
        if (taken > 0 && taken % CLOCK_EVERY === 0 && now() - started >= this.#budget.maxMs) return undefined;
        const [kind, index] = this.#locate(this.#position++);
        taken++;
        return { kind: KINDS[kind]!, id: this.#lists[kind]![index]! };
      },
    };
    const update = this.#wire.records(cursor, now(), this.#stamp);
    const metadata = this.#wire.metadata.since(this.#metadataSent);
    this.#metadataSent += metadata.length;
    if (metadata.length > 0) update.newMetadata = create(RegisterMetadataSchema, { metadata });
    this.#slices++;
    return update;
  }

  /** Span ids listed at or after `position`: read after that point, so newer in the snapshot than in a delta built then. */
  unreadFrom(position: number): UnreadIds {
    const sets = [new Set<string>(), new Set<string>(), new Set<string>()];
    for (let p = position; p < this.#total; p++) {
      const [kind, index] = this.#locate(p);
      sets[kind]!.add(String(this.#lists[kind]![index]!));
    }
    return { tasks: sets[0]!, resources: sets[1]!, ops: sets[2]! };
  }

  #locate(position: number): [number, number] {
    let p = position;
    for (let kind = 0; kind < this.#lists.length; kind++) {
      const length = this.#lists[kind]!.length;
      if (p < length) return [kind, p];
      p -= length;
    }
    return [this.#lists.length - 1, p];
  }
}
