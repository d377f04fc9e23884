/** Types for abba.mjs, so the tests that import it type-check. */
export declare const lines: Record<string, number>;
export declare function startAbba(): Promise<unknown>;
