/** The store behind the terminal views: @async-insight/engine, read through the view model. */
import type { LintConfig } from "@async-insight/engine";
import { createEngineSource } from "./from-engine.js";
import type { RuntimeSource } from "./runtime-source.js";

export function createRuntimeSource(lints?: LintConfig): RuntimeSource {
  return createEngineSource(undefined, lints);
}
