/**
 * WatchUpdates read frame by frame into one reused buffer. Through a
 * generic gRPC client (Connect, before), each message got a fresh buffer of its full size (megabytes on a busy
 * runtime), allocated when its first bytes arrived; by the time the message
 * was complete and applied it had lived through several scavenges and been
 * promoted, so every one stayed in memory until a full collection, and V8
 * lets up to 64 MB of such buffers pile up before it runs one.
 *
 * Here messages are read into two buffers owned by the stream, used in turn,
 * and yielded as lazy Updates over them. Before a buffer is overwritten, the
 * update still over it gets its own copy of the bytes it needs
 * (detachLazyUpdate), which dies young when nothing kept the update.
 *
 * The call itself (headers, status, connection errors) is grpc-call.ts's.
 */
import { detachLazyUpdate, lazyUpdateFromBinary, type Update } from "@async-insight/protocol";
import { FRAME_HEADER_BYTES, GrpcStatus } from "@async-insight/protocol/grpc";
import type { CallChunks } from "./private/grpc-call.js";
import { compressedMessageError, MessageTooLargeError, NotGrpcAnswerError } from "./private/message-limit.js";

/** The request: one empty InstrumentRequest, framed. */
const REQUEST = new Uint8Array(FRAME_HEADER_BYTES);
export const WATCH_UPDATES_PATH = "/rs.tokio.console.instrument.Instrument/WatchUpdates";
/** Past this, a buffer much larger than the message about to be read into it is given back. */
const KEEP_BYTES = 1024 * 1024;
/**
 * "Much larger": at 10k tasks the first snapshot is ~3.5 MB and the updates
 * after it 1.1-2.2 MB, so a buffer sized for the snapshot goes at the first
 * update under a third of it, while one sized for the updates is not
 * replaced back and forth as they vary.
 */
const SHRINK_FACTOR = 3;
/** Room for the next messages to grow a little before the buffer must be replaced. */
const SLACK = 1.25;

/**
 * The size of a new buffer for a message of `length` bytes when the one in
 * turn holds `size`, or undefined to reuse it: a new one when the message
 * does not fit, or when the buffer is over KEEP_BYTES and more than
 * SHRINK_FACTOR times the message (it would hold memory for nothing).
 */
export function replacementSize(size: number, length: number): number | undefined {
  if (length > size || (size > KEEP_BYTES && size > SHRINK_FACTOR * length)) return Math.ceil(length * SLACK);
  return undefined;
}

/**
 * Assembles gRPC messages from chunks into two buffers used in turn, so
 * message n is read while message n - 1 may still be in use, and the
 * update of message n - 2 is given its own copy only when its buffer is
 * needed again: by then the console has usually dropped it, so the copy is
 * garbage at the next scavenge.
 */
class MessageReader {
  readonly #header = new Uint8Array(FRAME_HEADER_BYTES);
  #headerFill = 0;
  readonly #buffers = [new Uint8Array(0), new Uint8Array(0)];
  /** The update over each buffer, weakly: one nobody holds needs no copy. */
  readonly #holders: (WeakRef<Update> | undefined)[] = [undefined, undefined];
  #current = 1;
  #length = -1;
  #fill = 0;

  constructor(private readonly maxBytes: number) {}

  get partial(): boolean {
    return this.#headerFill > 0 || this.#length >= 0;
  }

  /** Consumes `chunk` from `offset` until a message completes or the chunk ends; returns the new offset. */
  read(chunk: Uint8Array, offset: number): { offset: number; message: Uint8Array | undefined } {
    if (this.#length < 0) {
      const take = Math.min(FRAME_HEADER_BYTES - this.#headerFill, chunk.length - offset);
      this.#header.set(chunk.subarray(offset, offset + take), this.#headerFill);
      this.#headerFill += take;
      offset += take;
      if (this.#headerFill < FRAME_HEADER_BYTES) return { offset, message: undefined };
      this.#start();
    }
    const buffer = this.#buffers[this.#current]!;
    const take = Math.min(this.#length - this.#fill, chunk.length - offset);
    buffer.set(chunk.subarray(offset, offset + take), this.#fill);
    this.#fill += take;
    offset += take;
    if (this.#fill < this.#length) return { offset, message: undefined };
    const message = buffer.subarray(0, this.#length);
    this.#length = -1;
    this.#headerFill = 0;
    return { offset, message };
  }

  /** Records the update made from the message just read. */
  lend(update: Update): void {
    this.#holders[this.#current] = new WeakRef(update);
  }

  #start(): void {
    const flags = this.#header[0]!;
    const length = new DataView(this.#header.buffer).getUint32(1);
    if (length > this.maxBytes) throw new MessageTooLargeError(length, this.maxBytes);
    if (flags & 1) throw compressedMessageError();
    const next = 1 - this.#current;
    const size = this.#buffers[next]!.length;
    const holder = this.#holders[next]?.deref();
    const replacement = replacementSize(size, length);
    if (replacement !== undefined) {
      // A new buffer: the old one stays with its update, which needs no copy.
      this.#buffers[next] = new Uint8Array(replacement);
    } else if (holder) detachLazyUpdate(holder);
    this.#holders[next] = undefined;
    this.#current = next;
    this.#length = length;
    this.#fill = 0;
  }
}

/** Reads WatchUpdates through `call`; fails with GrpcErrors or the connection's own error. */
export async function* readUpdates(call: CallChunks, signal: AbortSignal, maxBytes: number): AsyncGenerator<Update> {
  const reader = new MessageReader(maxBytes);
  for await (const chunk of call(WATCH_UPDATES_PATH, REQUEST, signal)) {
    let offset = 0;
    while (offset < chunk.length) {
      const read = reader.read(chunk, offset);
      offset = read.offset;
      if (read.message === undefined) continue;
      const update = lazyUpdateFromBinary(read.message);
      reader.lend(update);
      yield update;
    }
  }
  if (reader.partial) throw new NotGrpcAnswerError(GrpcStatus.INTERNAL, "protocol error: the call ended inside a message");
}
