/** The store behind the terminal views: @async-insight/engine, read through the view model. */
import type { LintConfig } from "@async-insight/engine";
import { createEngineViewStore } from "./from-engine.js";
import type { ViewStore } from "./view-store.js";

export function createViewStore(lints?: LintConfig): ViewStore {
  return createEngineViewStore(undefined, lints);
}
