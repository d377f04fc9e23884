/**
 * The library adapters (issue 15): pools, locks and queues of the libraries
 * Node services wait on, published like insight's own primitives. init()
 * installs them; `async-insight/register` also waits for the ESM ones, so
 * they are patched before the app's first line. INSIGHT_ADAPTERS=off leaves
 * every library untouched.
 */
import { debug } from "../private/debug.js";
import { asyncMutexAdapter } from "./async-mutex.js";
import { genericPoolAdapter } from "./generic-pool.js";
import { installAdapters, registerEsmHooks } from "./loading.js";
import { ioredisAdapter } from "./ioredis.js";
import { undiciAdapter } from "./undici.js";
import type { AdapterDefinition } from "./patching.js";
import { pLimitAdapter } from "./p-limit.js";
import { pQueueAdapter } from "./p-queue.js";
import { pgAdapter } from "./pg.js";
import { tarnAdapter } from "./tarn.js";

/** Every adapter, in no particular order (each patches only its own package). */
export const ADAPTERS: AdapterDefinition[] = [
  genericPoolAdapter,
  tarnAdapter,
  asyncMutexAdapter,
  pQueueAdapter,
  pLimitAdapter,
  pgAdapter,
  ioredisAdapter,
  undiciAdapter,
];

let installing: Promise<void> | undefined;

/** Installs the adapters once; the promise settles when the ESM builds are patched too (never rejects). */
export function installLibraryAdapters(environment: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (installing !== undefined) return installing;
  if (environment.INSIGHT_ADAPTERS === "off") {
    debug("library adapters off (INSIGHT_ADAPTERS=off)");
    installing = Promise.resolve();
  } else {
    installing = installAdapters(ADAPTERS);
  }
  return installing;
}

/**
 * `async-insight/register`, before init(): rewrites the few ESM exports no prototype reaches
 * (esm-hooks.ts). Must come before anything is imported, the adapters' own imports included.
 */
export function registerLibraryHooks(environment: NodeJS.ProcessEnv = process.env): void {
  if (environment.INSIGHT_ADAPTERS !== "off") registerEsmHooks(ADAPTERS);
}
