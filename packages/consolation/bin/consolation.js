#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `tsc -b` (run by `npm ci`'s prepare step).
import { tuneHeap } from "../dist/heap-tuning.js";

// Before the CLI's modules load and grow the heap: see heap-tuning.ts.
tuneHeap(process.env);
// A debugging aid for memory measurements (memory-log.ts); loaded only when asked for.
if (process.env.CONSOLATION_MEMORY_LOG) (await import("../dist/memory-log.js")).startMemoryLog(process.env);
const { main } = await import("../dist/main.js");

// `consolation dump | head` closes the pipe early; that is not an error.
process.stdout.on("error", (error) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(`consolation: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 70;
  },
);
