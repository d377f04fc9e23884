/** Picks the store behind the views. The interim fold stands in until @insight/engine's RuntimeStore lands. */
import { createInterimSource } from "./interim/interim-source.js";
import type { RuntimeSource } from "./runtime-source.js";

export function createRuntimeSource(): RuntimeSource {
  return createInterimSource();
}
