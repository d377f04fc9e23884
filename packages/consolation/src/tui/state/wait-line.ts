/** One wait of a task as the views draw it: what it waits on, why, where, and which roles can end it. */
import { LONG_FIELD_WIDTH, rolesThatFree, safeText, type FreerRole, type RuntimeStore, type Wait } from "@async-insight/engine";
import { displayLocation } from "../../format/location.js";
import { isRuntimeInternal } from "../../wording/task-text.js";
import { readSourceLine } from "./source-lines.js";
import type { WaitLine } from "./view-model.js";
import { textOrUndefined } from "./view-text.js";

/** The engine's rule for who can end this wait; a view never keeps its own copy. */
function freedBy(wait: Wait): FreerRole[] {
  return [...rolesThatFree(wait.direction, wait.asyncOp.source)];
}

function awaitSourceOf(wait: Wait, location: string | undefined): string | undefined {
  if (wait.awaitLine) return wait.awaitLine;
  // tokio sends no source text; read the line when the await site is in the user's own files.
  const match = location ? /^(.*):(\d+)(?::\d+)?$/.exec(wait.awaitLocation ?? "") : null;
  return match ? readSourceLine(match[1]!, Number(match[2])) : undefined;
}

/**
 * tokio says only "Mutex::lock"; when the engine inferred who holds the lock,
 * the reason names the holder, as insight's own reasons do.
 */
function reasonWithHolder(store: RuntimeStore, wait: Wait): string {
  if (!wait.asyncOp.reasonInferred || wait.direction !== "acquire" || !wait.resource) return wait.reason;
  const holders = store.freersOf(wait.resource.id).filter((f) => f.role === "holder" && f.task !== wait.task);
  return holders.length === 1 ? `${wait.reason} held by task ${holders[0]!.task}` : wait.reason;
}

export function waitLine(wait: Wait, store?: RuntimeStore): WaitLine {
  const useful = wait.awaitLocation && !isRuntimeInternal(wait.awaitLocation) ? wait.awaitLocation : undefined;
  return {
    resourceKey: wait.resource ? String(wait.resource.id) : undefined,
    resourceLabel: safeText(wait.resource?.label ?? "unknown resource"),
    resourceType: safeText(wait.resource?.concreteType ?? "?"),
    reason: safeText(store ? reasonWithHolder(store, wait) : wait.reason, LONG_FIELD_WIDTH),
    awaitLocation: useful ? safeText(displayLocation(useful), LONG_FIELD_WIDTH) : undefined,
    awaitSource: textOrUndefined(awaitSourceOf(wait, useful)),
    freedBy: freedBy(wait),
  };
}
