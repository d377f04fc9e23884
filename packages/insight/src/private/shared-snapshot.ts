/**
 * One snapshot build shared by every console that attaches while it is being
 * built. Five consoles attaching together used to build five snapshots of
 * the same state, five times the CPU and the garbage (and the collector's
 * pauses were what the host felt). Pieces are built on demand, by whichever
 * console first needs the next one, one slice per turn (slice-turns.ts), and
 * kept until the consoles reading them are past them. A console that joins
 * late reads from the first piece and is given the deltas published since
 * the build began, so it ends up exactly where the others do.
 */
import type { Update } from "@async-insight/protocol";
import type { Runtime } from "./runtime.js";
import type { SliceTurns } from "./slice-turns.js";
import { SnapshotSlicer, type SliceBudget } from "./snapshot-slicer.js";
import type { WireBuilder } from "./wire.js";

export interface PublishedDelta {
  readonly update: Update;
  /** How far the snapshot had been read when the delta was published. */
  readonly position: number;
}

export class SharedSnapshot {
  readonly slicer: SnapshotSlicer;
  /** Deltas published while the snapshot was being built. */
  readonly deltas: PublishedDelta[] = [];
  readonly #pieces: Update[] = [];
  readonly #turns: SliceTurns;
  #building: Promise<void> | undefined;

  constructor(runtime: Runtime, wire: WireBuilder, turns: SliceTurns, budget?: SliceBudget) {
    this.slicer = new SnapshotSlicer(runtime, wire, budget);
    this.#turns = turns;
  }

  get done(): boolean {
    return this.slicer.done;
  }

  /** Piece `index` (0-based), built when first needed; undefined past the last one. */
  async piece(index: number): Promise<Update | undefined> {
    while (index >= this.#pieces.length) {
      if (this.slicer.done) return undefined;
      this.#building ??= this.#buildOne().finally(() => (this.#building = undefined));
      await this.#building;
    }
    return this.#pieces[index];
  }

  /** Called once per published delta while the build lasts. */
  notePublished(update: Update): void {
    if (!this.slicer.done) this.deltas.push({ update, position: this.slicer.position });
  }

  async #buildOne(): Promise<void> {
    const turn = await this.#turns.acquire();
    try {
      const piece = this.slicer.next();
      if (piece) this.#pieces.push(piece);
    } finally {
      // Released before the piece is handed on: a console that is slow to
      // take it must not hold up the others.
      turn.release();
    }
  }
}
