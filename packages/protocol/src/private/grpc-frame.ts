/**
 * gRPC's length-prefixed message framing: one flag byte (bit 0 = compressed),
 * a big-endian u32 length, then the message.
 */

export const FRAME_HEADER_BYTES = 5;

export function encodeFrame(message: Uint8Array): Uint8Array {
  const frame = new Uint8Array(FRAME_HEADER_BYTES + message.length);
  new DataView(frame.buffer).setUint32(1, message.length);
  frame.set(message, FRAME_HEADER_BYTES);
  return frame;
}

/** Why a frame was refused: a server answers each with its own grpc-status. */
export type FrameProblem = "compressed" | "too-large";

export class FrameError extends Error {
  override name = "FrameError";
  constructor(
    readonly problem: FrameProblem,
    message: string,
    /** The refused frame's length, for "too-large". */
    readonly bytes = 0,
  ) {
    super(message);
  }
}

/**
 * Accumulates bytes from a stream and yields whole messages. Rejects frames
 * over `maxBytes` before buffering them, so a hostile length cannot make us
 * allocate.
 */
export class FrameReader {
  #buffer = new Uint8Array(0);
  constructor(private readonly maxBytes: number) {}

  push(chunk: Uint8Array): Uint8Array[] {
    const joined = new Uint8Array(this.#buffer.length + chunk.length);
    joined.set(this.#buffer);
    joined.set(chunk, this.#buffer.length);
    const messages: Uint8Array[] = [];
    let offset = 0;
    while (joined.length - offset >= FRAME_HEADER_BYTES) {
      const view = new DataView(joined.buffer, joined.byteOffset + offset);
      const flags = view.getUint8(0);
      const length = view.getUint32(1);
      if (flags & 1) throw new FrameError("compressed", "compressed gRPC messages are not supported");
      if (length > this.maxBytes) {
        throw new FrameError("too-large", `gRPC message of ${length} bytes exceeds the ${this.maxBytes}-byte limit`, length);
      }
      if (joined.length - offset < FRAME_HEADER_BYTES + length) break;
      messages.push(joined.slice(offset + FRAME_HEADER_BYTES, offset + FRAME_HEADER_BYTES + length));
      offset += FRAME_HEADER_BYTES + length;
    }
    this.#buffer = joined.slice(offset);
    return messages;
  }

  /** True when a partial frame is still buffered. */
  get pending(): boolean {
    return this.#buffer.length > 0;
  }
}
