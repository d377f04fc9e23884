/**
 * Runs one tokio accuracy case: starts its scenario (interop/accuracy-tokio,
 * or another interop app) with console-subscriber on a free port, waits for
 * the line that says its shape has formed, attaches `consolation check`,
 * and judges the report with the shared verdict rules (../verdict.ts).
 */
import { fileURLToPath } from "node:url";
import { freePort } from "../../support/free-port.js";
import { Peer, rustBin, type RustPeerName } from "../../support/rust-peers.js";
import { recordOutcome, runCheck, type CaseOutcome, type Verdict, runBatches as runCasesInBatches } from "../verdict.js";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

export interface TokioCase {
  /** The scenario's argv name in interop/accuracy-tokio (or a case name for another app). */
  readonly name: string;
  /**
   * `during`: a healthy workload, watched while it runs; `before`: the
   * problem formed before the console attached (the scenario prints `ready`
   * once it has); `after`: the scenario prints `ready` at once and forms the
   * problem a little later, while the console watches.
   */
  readonly attach: "during" | "before" | "after";
  readonly verdict: Verdict;
  /** Another interop binary with its environment, for apps outside the corpus crate. */
  readonly app?: { readonly bin: RustPeerName; readonly env: Readonly<Record<string, string>>; readonly args?: readonly string[] };
}

/**
 * How long `check` watches: two confirming updates after the problem forms,
 * and time for a healthy case to misbehave. A console that attaches right
 * after a burst sees the burst's ops over a few updates (console-subscriber
 * drains its event buffer about 128 events per publish), so `before` waits
 * for the 50-task ring's few hundred events to arrive.
 */
const WINDOW: Record<TokioCase["attach"], string> = { during: "8s", before: "9s", after: "9s" };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runTokioCase(c: TokioCase): Promise<CaseOutcome> {
  const port = await freePort();
  const bin = rustBin(c.app?.bin ?? "accuracy-tokio");
  const args = c.app ? [...(c.app.args ?? [])] : [c.name];
  const program = new Peer(bin, args, { TOKIO_CONSOLE_BIND: `127.0.0.1:${port}`, RUST_LOG: "", ...c.app?.env });
  try {
    if (c.app) {
      // Apps outside the corpus print no ready line: wait for the console port, then a moment for the shape to form.
      await program.waitForPort(port, "127.0.0.1", 30_000);
      await sleep(1_500);
    } else {
      await program.waitForOutput(/^ready$/m, 30_000);
      await program.waitForPort(port, "127.0.0.1", 30_000);
    }
    const run = await runCheck(`http://127.0.0.1:${port}`, WINDOW[c.attach], { cwd: repoRoot });
    if (!program.running) throw new Error(`case ${c.name}: the program ended during the check\n${program.describe()}`);
    return recordOutcome("tokio", c.name, c.verdict, run);
  } finally {
    await program.stop();
  }
}

/** Runs cases `width` at a time, in order; each outcome or error is kept per case. */
export function runBatches(cases: readonly TokioCase[], width: number): Promise<Map<string, CaseOutcome | Error>> {
  return runCasesInBatches(cases, width, runTokioCase);
}
