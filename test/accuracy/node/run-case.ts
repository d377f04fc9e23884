/**
 * Runs one Node accuracy case: starts its program on a given Node binary with
 * the console on a free port, attaches `consolation check` at the moment the
 * case asks for (before the problem forms, or after), and judges the report.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Peer } from "../../support/rust-peers.js";
import { startPostgres, type PostgresServer } from "../../support/servers.js";
import { recordOutcome, runCheck, type CaseOutcome, type ExpectedLines, type Verdict, runBatches as runCasesInBatches } from "../verdict.js";

export const caseDir = fileURLToPath(new URL(".", import.meta.url));
const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

export interface NodeCase {
  /** Also the program's file name: test/accuracy/node/<name>.mjs. */
  readonly name: string;
  /**
   * When `check` attaches: `during` a healthy workload; `before` the problem
   * forms (the program forms it 2 s or more after start, on its own); `after`
   * it formed (the runner waits until the program says `formed`).
   */
  readonly attach: "during" | "before" | "after";
  readonly verdict: Verdict;
  /** The check window; the default leaves time for insight's GC proof (idle >= 3 s) and two confirming updates. */
  readonly window?: string;
  /** The program talks to a real PostgreSQL: it gets one shared by the run in PG_URL. */
  readonly postgres?: boolean;
}

let postgres: Promise<PostgresServer> | undefined;

/** The run's PostgreSQL, started for the first case that needs one. */
function sharedPostgres(): Promise<PostgresServer> {
  return (postgres ??= startPostgres());
}

/** Stops the servers the cases needed (call once all cases ran). */
export async function stopServers(): Promise<void> {
  const started = postgres;
  postgres = undefined;
  if (started) await (await started).stop();
}

/** The lines of a case's program marked with `// site: <tag>`, for expected locations. */
export function siteLines(name: string, tag: string): number[] {
  const lines = readFileSync(join(caseDir, `${name}.mjs`), "utf8").split("\n");
  const found = lines.flatMap((text, i) => (text.includes(`// site: ${tag}`) ? [i + 1] : []));
  if (found.length === 0) throw new Error(`${name}.mjs has no line marked "// site: ${tag}"`);
  return found;
}

export function linesOf(name: string, include: string, exclude?: string): ExpectedLines {
  return { file: `${name}.mjs`, include: siteLines(name, include), exclude: exclude ? siteLines(name, exclude) : [] };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs the case's program on `node` and returns the judged outcome; a program that dies is an error, not a verdict. */
export async function runNodeCase(c: NodeCase, node = process.execPath): Promise<CaseOutcome> {
  const program = new Peer(node, [join(caseDir, `${c.name}.mjs`)], {
    INSIGHT_BIND: "127.0.0.1:0",
    INSIGHT_PORT: "",
    TOKIO_CONSOLE_BIND: "",
    INSIGHT_DEEP: "",
    NODE_OPTIONS: "",
    ...(c.postgres ? { PG_URL: (await sharedPostgres()).url } : {}),
  });
  try {
    const [, port] = await program.waitForOutput(/^ready (\d+)$/m, 30_000);
    if (c.attach === "after") {
      await program.waitForOutput(/^formed$/m, 30_000);
      await sleep(1_000);
    } else if (c.attach === "during") {
      await sleep(500);
    }
    const window = c.window ?? (c.attach === "before" ? "9s" : "7s");
    const run = await runCheck(`http://127.0.0.1:${port}`, window, { cwd: repoRoot });
    if (!program.running) throw new Error(`case ${c.name}: the program ended during the check\n${program.describe()}`);
    return recordOutcome("node", c.name, c.verdict, run);
  } finally {
    await program.stop();
  }
}

/** Runs cases `width` at a time, in order; each outcome or error is kept per case. */
export function runBatches(cases: readonly NodeCase[], width: number): Promise<Map<string, CaseOutcome | Error>> {
  return runCasesInBatches(cases, width, runNodeCase);
}
