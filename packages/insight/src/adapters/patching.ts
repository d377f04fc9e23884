/**
 * Patch safety for adapters (how to write one: kit.ts). An adapter is a
 * definition (package, version range, patch function); the loader
 * (loading.ts) calls `patch` once per loaded copy of the library whose
 * version is in range. Patches are idempotent: a prototype method wrapped
 * once is never wrapped again, whether init() runs twice, register and init
 * both run, or two copies of insight are loaded (the marker is a global
 * symbol).
 */
import { debug } from "../private/debug.js";
import { runtime } from "../private/runtime.js";

/** Where a loaded copy of a library came from. */
export interface LoadedLibrary {
  /** `generic-pool`. */
  readonly packageName: string;
  readonly version: string;
  /** The package's folder. */
  readonly root: string;
  /** Which build was loaded (dual packages have one of each). */
  readonly format: "cjs" | "esm";
}

export interface AdapterDefinition {
  /** The npm package name. */
  readonly packageName: string;
  /** Supported versions: `from` ≤ version < `below` (plain x.y.z). */
  readonly versions: { readonly from: string; readonly below: string };
  /**
   * Which builds to patch: "cjs" (found through require, and import of a CJS
   * package), "esm" (an ESM-only package or the ESM build of a dual one:
   * imported from the app's folder at init), or both.
   */
  readonly formats: readonly ("cjs" | "esm")[];
  /** Wraps the library's methods. `exports` is the module's exports (CJS) or namespace (ESM). */
  patch(exports: unknown, context: AdapterContext): void;
  /**
   * For the few ESM exports no prototype reaches (esm-hooks.ts, under --import only): returns what
   * the module exports instead of `original` (`name` is e.g. "p-limit:default").
   */
  wrapExport?(name: string, original: Function, context: AdapterContext): Function;
}

/** The per-library handle a patch uses at run time. */
export class AdapterContext {
  readonly library: LoadedLibrary;
  readonly #adapter: AdapterState;

  constructor(adapter: AdapterState, library: LoadedLibrary) {
    this.#adapter = adapter;
    this.library = library;
  }

  /** `generic-pool@3.9.0`, for `insight.library`. */
  get libraryText(): string {
    return `${this.library.packageName}@${this.library.version}`;
  }

  /** Whether wrapped methods should record anything (insight on, adapter healthy). */
  on(): boolean {
    return runtime !== undefined && !this.#adapter.disabled;
  }

  /** Runs bookkeeping; a throw disables the adapter (said once on NODE_DEBUG) and returns `fallback`. */
  safely<T>(fn: () => T, fallback: T): T;
  safely(fn: () => void): void;
  safely<T>(fn: () => T, fallback?: T): T | undefined {
    try {
      return fn();
    } catch (error) {
      this.#adapter.disable(error);
      return fallback;
    }
  }
}

/** One adapter's health, shared by every loaded copy of its library. */
export class AdapterState {
  readonly definition: AdapterDefinition;
  disabled = false;

  constructor(definition: AdapterDefinition) {
    this.definition = definition;
  }

  disable(error: unknown): void {
    if (this.disabled) return;
    this.disabled = true;
    debug(
      "adapter %s failed and is disabled; the app carries on uninstrumented for it: %s",
      this.definition.packageName,
      error instanceof Error ? (error.stack ?? error.message) : String(error),
    );
  }
}

const WRAPPED = Symbol.for("async-insight.adapters.wrapped");

/**
 * Replaces `target[name]` with `make(original)`, once. The replacement is
 * marked, so a second call (init twice, another copy of insight) does
 * nothing. Returns whether it patched.
 */
export function wrapMethod<F extends (...args: never[]) => unknown>(target: object, name: string, make: (original: F) => F): boolean {
  const holder = target as Record<string, unknown>;
  const original = holder[name];
  if (typeof original !== "function") throw new Error(`${name} is not a function on the patched object`);
  if ((original as unknown as Record<symbol, unknown>)[WRAPPED] !== undefined) return false;
  const replacement = make(original as F);
  Object.defineProperty(replacement, WRAPPED, { value: original });
  Object.defineProperty(replacement, "name", { value: (original as Function).name, configurable: true });
  Object.defineProperty(replacement, "length", { value: (original as Function).length, configurable: true });
  const descriptor = Object.getOwnPropertyDescriptor(target, name);
  Object.defineProperty(target, name, {
    value: replacement,
    writable: descriptor?.writable ?? true,
    enumerable: descriptor?.enumerable ?? false,
    configurable: true,
  });
  return true;
}

/** Whether `target[name]` is already wrapped. */
export function isWrapped(target: object, name: string): boolean {
  const value = (target as Record<string, unknown>)[name];
  return typeof value === "function" && (value as unknown as Record<symbol, unknown>)[WRAPPED] !== undefined;
}

function parts(version: string): number[] | undefined {
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** Whether `version` is in [from, below). Prereleases count as their release. */
export function inRange(version: string, range: { readonly from: string; readonly below: string }): boolean {
  const v = parts(version);
  const from = parts(range.from);
  const below = parts(range.below);
  if (v === undefined || from === undefined || below === undefined) return false;
  return compare(v, from) >= 0 && compare(v, below) < 0;
}
