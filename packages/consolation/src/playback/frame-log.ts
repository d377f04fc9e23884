/**
 * Where a replay keeps its frames. Holding every decoded Update made `replay`
 * of a 200 MB recording peak at 1.1 GB (5.7x the file). The spilled log keeps
 * them encoded (protobuf binary) in an unlinked temporary file and only a
 * bounded index in memory: a checkpoint every `stride` frames, the stride
 * doubling whenever the checkpoints would pass MAX_CHECKPOINTS. Reading frame
 * i walks at most `stride` record headers from its checkpoint; playing forward
 * reads sequentially through one buffer. Memory no longer grows with the file.
 *
 * An insight recording's update lines are kept as they are in the file and
 * decoded when replayed (decoding is the main cost, and is then paid once);
 * Updates converted from traces are kept as protobuf binary.
 *
 * Record layout: u32 payload length, i64 atNs, u8 flags (1 restart, 2 a
 * recording line), payload.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, unlinkSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { nanosToTimestamp, UpdateSchema, type Update } from "@async-insight/protocol";
import { decodeRecordingLine } from "@async-insight/protocol/recording";

export interface ReplayFrame {
  /** When the message was received (recordings) or the trace time it covers (traces), ns since epoch. */
  readonly atNs: bigint;
  readonly update: Update;
  /** The first frame of a restarted process (the recording marks the restart before it). */
  readonly restart?: boolean;
}

export interface FrameLog {
  readonly length: number;
  /** Frame i in full (decoded), or undefined past the end. */
  frame(index: number): ReplayFrame | undefined;
  /** Frame i's time, without decoding it. */
  atNs(index: number): bigint | undefined;
  /** Index of the first frame later than `atNs` (times never go backwards), or `length`. */
  indexAfter(atNs: bigint): number;
  /** Indexes of the frames that start a restarted process, ascending (a handful per file). */
  readonly restarts: readonly number[];
  close(): void;
}

const MAX_NS = 2n ** 63n - 1n;
const MIN_NS = -(2n ** 63n);

/** Frames given in memory (tests, small sources). */
export class MemoryFrameLog implements FrameLog {
  readonly restarts: readonly number[];
  constructor(private readonly frames: readonly ReplayFrame[]) {
    this.restarts = frames.flatMap((f, i) => (f.restart ? [i] : []));
  }
  get length(): number {
    return this.frames.length;
  }
  frame(index: number): ReplayFrame | undefined {
    return this.frames[index];
  }
  atNs(index: number): bigint | undefined {
    return this.frames[index]?.atNs;
  }
  indexAfter(atNs: bigint): number {
    const found = this.frames.findIndex((f) => f.atNs > atNs);
    return found < 0 ? this.frames.length : found;
  }
  close(): void {}
}

const HEADER = 13;
const RESTART = 1;
const LINE = 2;

/**
 * A kept line that no longer decodes (it was checked only as JSON when the
 * file was read): an empty Update at its time, so playback goes on.
 */
function decodeLine(payload: Buffer, atNs: bigint): Update {
  const decoded = decodeRecordingLine(payload.toString("utf8"), false);
  return "message" in decoded && decoded.message.kind === "update" ? decoded.message.update : create(UpdateSchema, { now: nanosToTimestamp(atNs) });
}
export const MAX_CHECKPOINTS = 4096;
const CHUNK = 1 << 20;

export class SpillFrameLog implements FrameLog {
  readonly restarts: number[] = [];
  #fd: number;
  #length = 0;
  #stride = 1;
  #cpOffset: number[] = [];
  #cpAtNs: bigint[] = [];
  #end = 0;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #written = 0;
  #lastAtNs: bigint | undefined;
  // Read buffer and the sequential cursor (frame index and offset of the next record).
  #buf = Buffer.alloc(0);
  #bufStart = 0;
  #cursor = { index: 0, offset: 0 };

  constructor() {
    const dir = mkdtempSync(join(tmpdir(), "consolation-replay-"));
    const path = join(dir, "frames.bin");
    this.#fd = openSync(path, "w+");
    // Unlinked at once: the space is freed when the process ends, however it ends.
    try {
      unlinkSync(path);
      rmSync(dir, { recursive: true, force: true });
    } catch {
      process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
    }
  }

  get length(): number {
    return this.#length;
  }

  /** The current checkpoint stride, for tests and benchmarks. */
  get stride(): number {
    return this.#stride;
  }

  append(update: Update, atNs: bigint, restart: boolean): void {
    this.#add(toBinary(UpdateSchema, update), atNs, restart ? RESTART : 0);
  }

  /** An insight recording's update line, kept as text and decoded when it is replayed. */
  appendLine(text: string, atNs: bigint, restart: boolean): void {
    this.#add(Buffer.from(text, "utf8"), atNs, (restart ? RESTART : 0) | LINE);
  }

  #add(payload: Uint8Array, atNs: bigint, flags: number): void {
    const restart = (flags & RESTART) !== 0;
    const header = Buffer.alloc(HEADER);
    header.writeUInt32LE(payload.length, 0);
    // A file can claim any time; the log orders frames by it, so one past the int64 range is held at its edge.
    header.writeBigInt64LE(atNs > MAX_NS ? MAX_NS : atNs < MIN_NS ? MIN_NS : atNs, 4);
    header.writeUInt8(flags, 12);
    const index = this.#length++;
    if (index % this.#stride === 0) {
      this.#cpOffset.push(this.#end);
      this.#cpAtNs.push(atNs);
      if (this.#cpOffset.length > MAX_CHECKPOINTS) {
        this.#cpOffset = this.#cpOffset.filter((_, i) => i % 2 === 0);
        this.#cpAtNs = this.#cpAtNs.filter((_, i) => i % 2 === 0);
        this.#stride *= 2;
      }
    }
    if (restart) this.restarts.push(index);
    this.#pending.push(header, Buffer.from(payload.buffer, payload.byteOffset, payload.length));
    this.#pendingBytes += HEADER + payload.length;
    this.#end += HEADER + payload.length;
    this.#lastAtNs = atNs;
    if (this.#pendingBytes >= CHUNK) this.#flush();
  }

  #flush(): void {
    if (this.#pendingBytes === 0) return;
    const data = Buffer.concat(this.#pending, this.#pendingBytes);
    let done = 0;
    while (done < data.length) done += writeSync(this.#fd, data, done, data.length - done, this.#written + done);
    this.#written += data.length;
    this.#pending = [];
    this.#pendingBytes = 0;
  }

  #read(offset: number, length: number): Buffer {
    this.#flush();
    if (offset >= this.#bufStart && offset + length <= this.#bufStart + this.#buf.length) {
      return this.#buf.subarray(offset - this.#bufStart, offset - this.#bufStart + length);
    }
    const size = Math.min(Math.max(CHUNK, length), this.#end - offset);
    const buf = Buffer.allocUnsafe(size);
    let got = 0;
    while (got < size) {
      const n = readSync(this.#fd, buf, got, size - got, offset + got);
      if (n === 0) break;
      got += n;
    }
    this.#buf = buf.subarray(0, got);
    this.#bufStart = offset;
    return this.#buf.subarray(0, length);
  }

  /** Offset of frame `index`'s record: from the cursor when it is close ahead, else from a checkpoint. */
  #seek(index: number): number {
    let at = this.#cursor;
    if (index < at.index || index - at.index >= this.#stride) {
      const cp = Math.floor(index / this.#stride);
      at = { index: cp * this.#stride, offset: this.#cpOffset[cp]! };
    }
    let { index: i, offset } = at;
    while (i < index) {
      offset += HEADER + this.#read(offset, HEADER).readUInt32LE(0);
      i++;
    }
    return offset;
  }

  frame(index: number): ReplayFrame | undefined {
    if (index < 0 || index >= this.#length) return undefined;
    const offset = this.#seek(index);
    const header = this.#read(offset, HEADER);
    const length = header.readUInt32LE(0);
    const atNs = header.readBigInt64LE(4);
    const flags = header.readUInt8(12);
    const restart = (flags & RESTART) !== 0;
    const payload = this.#read(offset + HEADER, length);
    const update = flags & LINE ? decodeLine(payload, atNs) : fromBinary(UpdateSchema, payload);
    this.#cursor = { index: index + 1, offset: offset + HEADER + length };
    return restart ? { atNs, update, restart } : { atNs, update };
  }

  atNs(index: number): bigint | undefined {
    if (index < 0 || index >= this.#length) return undefined;
    if (index === this.#length - 1) return this.#lastAtNs;
    if (index % this.#stride === 0) return this.#cpAtNs[index / this.#stride];
    return this.#read(this.#seek(index), HEADER).readBigInt64LE(4);
  }

  indexAfter(atNs: bigint): number {
    // The last checkpoint not later than atNs, then record by record.
    let lo = 0;
    let hi = this.#cpAtNs.length - 1;
    if (hi < 0 || this.#cpAtNs[0]! > atNs) return 0;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.#cpAtNs[mid]! <= atNs) lo = mid;
      else hi = mid - 1;
    }
    let index = lo * this.#stride;
    let offset = this.#cpOffset[lo]!;
    while (index < this.#length) {
      const header = this.#read(offset, HEADER);
      if (header.readBigInt64LE(4) > atNs) return index;
      offset += HEADER + header.readUInt32LE(0);
      index++;
    }
    return this.#length;
  }

  close(): void {
    try {
      closeSync(this.#fd);
    } catch {
      // Already closed.
    }
  }
}
