/**
 * WatchUpdates read frame by frame into one reused buffer. Through Connect,
 * each message got a fresh buffer of its full size (megabytes on a busy
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
 * Everything else is Connect's: the HTTP/2 session (pings, errors as
 * ConnectErrors), gRPC request headers, and the response and trailer checks,
 * so failures read exactly as they did.
 */
import { Code, ConnectError } from "@connectrpc/connect";
import { createAsyncIterable, type UniversalClientFn } from "@connectrpc/connect/protocol";
import { requestHeader, validateResponse, validateTrailer } from "@connectrpc/connect/protocol-grpc";
import { detachLazyUpdate, lazyUpdateFromBinary, type Update } from "@async-insight/protocol";

const HEADER_BYTES = 5;
/** The request: one empty InstrumentRequest, framed. */
const REQUEST = new Uint8Array(HEADER_BYTES);
/** Past this, a buffer much larger than the messages now arriving is given back. */
const KEEP_BYTES = 16 * 1024 * 1024;

/**
 * Assembles gRPC messages from chunks into two buffers used in turn, so
 * message n is read while message n - 1 may still be in use, and the
 * update of message n - 2 is given its own copy only when its buffer is
 * needed again: by then the console has usually dropped it, so the copy is
 * garbage at the next scavenge.
 */
class MessageReader {
  readonly #header = new Uint8Array(HEADER_BYTES);
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
      const take = Math.min(HEADER_BYTES - this.#headerFill, chunk.length - offset);
      this.#header.set(chunk.subarray(offset, offset + take), this.#headerFill);
      this.#headerFill += take;
      offset += take;
      if (this.#headerFill < HEADER_BYTES) return { offset, message: undefined };
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
    if (length > this.maxBytes) {
      throw new ConnectError(`message size ${length} is larger than configured readMaxBytes ${this.maxBytes}`, Code.ResourceExhausted);
    }
    if (flags & 1) throw new ConnectError("received compressed envelope, but do not know how to decompress", Code.Internal);
    const next = 1 - this.#current;
    const size = this.#buffers[next]!.length;
    const holder = this.#holders[next]?.deref();
    if (length > size || (size > KEEP_BYTES && size > 4 * length)) {
      // A new buffer: the old one stays with its update, which needs no copy.
      this.#buffers[next] = new Uint8Array(Math.ceil(length * 1.25));
    } else if (holder) detachLazyUpdate(holder);
    this.#holders[next] = undefined;
    this.#current = next;
    this.#length = length;
    this.#fill = 0;
  }
}

/** Reads WatchUpdates from `url` (the method's full URL) over `http`; fails with ConnectErrors, as Connect's client does. */
export async function* readUpdates(
  http: UniversalClientFn,
  url: string,
  signal: AbortSignal,
  maxBytes: number,
  authorization?: string,
): AsyncGenerator<Update> {
  try {
    yield* read(http, url, signal, maxBytes, authorization);
  } catch (error) {
    throw ConnectError.from(signal.aborted ? (signal.reason ?? error) : error);
  }
}

async function* read(http: UniversalClientFn, url: string, signal: AbortSignal, maxBytes: number, authorization: string | undefined): AsyncGenerator<Update> {
  const header = requestHeader(true, undefined, undefined);
  if (authorization) header.set("authorization", authorization);
  const response = await http({
    url,
    method: "POST",
    header,
    body: createAsyncIterable([REQUEST]),
    signal,
  });
  const { foundStatus, headerError } = validateResponse(response.status, response.header);
  if (headerError) throw headerError;
  const reader = new MessageReader(maxBytes);
  for await (const chunk of response.body) {
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
  if (reader.partial) throw new ConnectError("protocol error: incomplete envelope", Code.InvalidArgument);
  if (!foundStatus) validateTrailer(response.trailer, response.header);
}
