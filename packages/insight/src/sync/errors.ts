/** Errors the sync primitives reject with. */

/** Sending on a closed channel, or to a channel whose receiver was dropped. */
export class ChannelClosedError extends Error {
  override name = "ChannelClosedError";
  constructor(message = "channel closed") {
    super(message);
  }
}

/** A oneshot sender was dropped before sending. */
export class RecvError extends Error {
  override name = "RecvError";
  constructor(message = "sender dropped without sending") {
    super(message);
  }
}

/** A semaphore or notify was closed while waiting. */
export class ClosedError extends Error {
  override name = "ClosedError";
  constructor(message = "closed") {
    super(message);
  }
}
