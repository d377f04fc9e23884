/** The store behind the terminal views: @insight/engine, read through the view model. */
import { createEngineSource } from "./from-engine.js";
import type { RuntimeSource } from "./runtime-source.js";

export function createRuntimeSource(): RuntimeSource {
  return createEngineSource();
}
