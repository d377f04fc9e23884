/** Options shared by every primitive. */
export interface PrimitiveOptions {
  /** Shown in consoles as `insight.name` (e.g. "prototype_channel"). */
  readonly name?: string;
}

/** Options of a call that may wait. */
export interface WaitOptions {
  /** Cancels the wait: the call rejects with the signal's reason and leaves nothing behind. */
  readonly signal?: AbortSignal;
}
