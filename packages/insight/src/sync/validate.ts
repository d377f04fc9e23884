/**
 * Argument checks shared by the primitives. A wrong argument throws a
 * TypeError at the call site, synchronously: a count that is not a whole
 * number (or an options object passed where a count belongs) must never be
 * queued, where it would wait forever and hold up every waiter behind it.
 */
import type { PrimitiveOptions, WaitOptions } from "./options.js";

function shown(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (value === null) return "null";
  if (typeof value === "object") return "an object";
  if (typeof value === "function") return "a function";
  return String(value);
}

/** A whole number of at least `min` (Infinity too when `infinite`). */
export function checkCount(value: unknown, what: string, min = 1, infinite = false): number {
  if (typeof value === "number" && ((Number.isInteger(value) && value >= min) || (infinite && value === Infinity))) return value;
  const kind = min === 0 ? "a whole number (0 or more)" : `a whole number of at least ${min}`;
  throw new TypeError(`${what} must be ${kind}${infinite ? " or Infinity" : ""}, got ${shown(value)}`);
}

/** A finite number of milliseconds, at least `min`. */
export function checkMillis(value: unknown, what: string, positive: boolean): number {
  if (typeof value === "number" && Number.isFinite(value) && (positive ? value > 0 : value >= 0)) return value;
  throw new TypeError(`${what} must be a finite number of milliseconds${positive ? " above 0" : " (0 or more)"}, got ${shown(value)}`);
}

function checkObject(value: unknown, what: string): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new TypeError(`${what} must be an options object, got ${shown(value)}`);
  return value as Record<string, unknown>;
}

/** Options of a primitive's constructor: `{ name?: string }`. */
export function checkPrimitiveOptions(value: unknown, what = "options"): PrimitiveOptions {
  const options = checkObject(value, what);
  if (options === undefined) return {};
  if (options.name !== undefined && typeof options.name !== "string") throw new TypeError(`${what}.name must be a string, got ${shown(options.name)}`);
  return options as PrimitiveOptions;
}

/** Options of a call that may wait: `{ signal?: AbortSignal }`. */
export function checkWaitOptions(value: unknown, what = "options"): WaitOptions | undefined {
  const options = checkObject(value, what);
  if (options === undefined) return undefined;
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal))
    throw new TypeError(`${what}.signal must be an AbortSignal, got ${shown(options.signal)}`);
  return options as WaitOptions;
}
