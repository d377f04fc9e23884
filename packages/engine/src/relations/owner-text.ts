/** Public helpers over `insight.owners` text, for readers and UIs. */
import type { DisplayId, FreerRole } from "../model.js";
import { parseOwners, primitiveName, roleLabel } from "./owners.js";

/** Parses `role:taskId,...` into roles; repeated `permit` pairs become a count. */
export function parseOwnersText(text: string): Array<{ task: DisplayId; role: FreerRole; count: number }> {
  return parseOwners(text, undefined, undefined).map(({ task, role, count }) => ({ task, role, count }));
}

export { primitiveName, roleLabel };
