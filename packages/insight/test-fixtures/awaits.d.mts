/** Types for awaits.mjs, so the tests that import it type-check. */
import type { EventEmitter } from "node:events";
import type { TaskHandle } from "async-insight";
export declare const lines: Record<string, number>;
export declare let release: () => void;
export declare const emitter: EventEmitter;
export declare function startAwaits(): TaskHandle<unknown>[];
