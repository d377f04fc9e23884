/**
 * Polling for a condition with a deadline. Interop tests wait on what a peer
 * has done rather than sleeping a fixed time, so they are as fast as the
 * machine allows and only slow machines approach the timeout.
 */

export interface WaitOptions {
  /** Give up after this long. */
  readonly timeoutMs?: number;
  /** Pause between checks. */
  readonly intervalMs?: number;
  /** Named in the timeout error so a failure says what never happened. */
  readonly description?: string;
  /** Extra context for the timeout error, computed only on failure (e.g. peer stderr). */
  readonly detail?: () => string;
  /** Stops waiting early, rejecting with the signal's reason. */
  readonly signal?: AbortSignal;
}

export class WaitTimeoutError extends Error {
  override name = "WaitTimeoutError";
}

export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Calls `check` until it returns something other than `undefined`, `null` or
 * `false`, and resolves with that value. A `check` that throws is treated as
 * "not yet"; its last error is included if the wait times out.
 */
export async function waitFor<T>(check: () => T | undefined | null | false | Promise<T | undefined | null | false>, options: WaitOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 50;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== null && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const parts = [`timed out after ${timeoutMs} ms waiting for ${options.description ?? "a condition"}`];
      if (lastError !== undefined) parts.push(`last error: ${lastError instanceof Error ? lastError.message : String(lastError)}`);
      const detail = options.detail?.();
      if (detail) parts.push(detail);
      throw new WaitTimeoutError(parts.join("\n"));
    }
    await delay(intervalMs, options.signal);
  }
}
