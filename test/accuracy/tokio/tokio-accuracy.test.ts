/**
 * The tokio accuracy corpus (issue 13 item 7): every scenario of
 * interop/accuracy-tokio (plus interop/deadlock-app with its deadlock formed
 * at start) runs with console-subscriber, is checked by the built
 * `consolation check`, and must get exactly its verdict: no false alarm on a
 * healthy program, no miss on a planted problem. Cases run a few at a time
 * (ACCURACY_CONCURRENCY, default 3); ACCURACY_CASES=a,b runs only those.
 * Needs the Rust peers (`npm test` builds them) and `npx tsc -b` first.
 */
import { execFileSync } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { rustBin } from "../../support/rust-peers.js";
import { type CaseOutcome, expectCaseRight } from "../verdict.js";
import { tokioCases } from "./cases.js";
import { runBatches } from "./run-case.js";

const only = process.env.ACCURACY_CASES?.split(",").filter(Boolean);
const cases = only ? tokioCases.filter((c) => only.includes(c.name)) : tokioCases;
let outcomes = new Map<string, CaseOutcome | Error>();

beforeAll(async () => {
  outcomes = await runBatches(cases, Number(process.env.ACCURACY_CONCURRENCY ?? 3));
}, 420_000);

describe("tokio accuracy corpus", () => {
  it("has at least 20 scenarios, half of them healthy, and a case for each scenario the binary knows", () => {
    if (only) return;
    expect(tokioCases.length).toBeGreaterThanOrEqual(20);
    expect(tokioCases.filter((c) => c.verdict === "clean").length * 2).toBeGreaterThanOrEqual(tokioCases.length);
    const scenarios = execFileSync(rustBin("accuracy-tokio"), ["--list"], { encoding: "utf8" }).trim().split("\n");
    expect(
      tokioCases
        .filter((c) => !c.app)
        .map((c) => c.name)
        .sort(),
    ).toEqual([...scenarios].sort());
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s", (name) => {
    expectCaseRight(outcomes, name);
  });
});
