/**
 * Where a Node process running insight announces its console server (one
 * `<pid>.json` per process) and where the console looks for them: one
 * convention shared by the library and the console (docs/processes.md).
 */
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";

/** The `format` of every discovery file; a reader skips files of another format. */
export const DISCOVERY_FORMAT = "insight-discovery/1";

/** INSIGHT_DISCOVERY_DIR, else <tmpdir>/insight-<uid>: per user, so nobody else's processes are listed. */
export function discoveryDir(environment: NodeJS.ProcessEnv = process.env): string {
  const chosen = environment.INSIGHT_DISCOVERY_DIR;
  if (chosen !== undefined && chosen !== "") return chosen;
  let who: string;
  try {
    who = String(process.getuid?.() ?? userInfo().username);
  } catch {
    who = "user";
  }
  return join(tmpdir(), `insight-${who}`);
}
