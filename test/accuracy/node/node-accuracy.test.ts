/**
 * The Node accuracy corpus (issue 13 item 7): every program in this directory
 * runs on the Node that runs this test (20, 22 and 24 under `npm test`), is
 * checked by the built `consolation check`, and must get exactly its verdict:
 * no false alarm on a healthy program, no miss on a planted problem. Cases run
 * a few at a time (ACCURACY_CONCURRENCY, default 4); ACCURACY_CASES=a,b runs
 * only those. Needs `npx tsc -b` first (the programs import the built library).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CaseOutcome, expectCaseRight } from "../verdict.js";
import { nodeCases } from "./cases.js";
import { runBatches, stopServers } from "./run-case.js";

const only = process.env.ACCURACY_CASES?.split(",").filter(Boolean);
const cases = only ? nodeCases.filter((c) => only.includes(c.name)) : nodeCases;
let outcomes = new Map<string, CaseOutcome | Error>();

beforeAll(
  async () => {
    outcomes = await runBatches(cases, Number(process.env.ACCURACY_CONCURRENCY ?? 4));
    // About 12 s a case, 4 at a time, on a loaded machine: a generous bound that grows with the corpus.
  },
  Math.max(360_000, cases.length * 12_000),
);
afterAll(() => stopServers());

describe(`Node accuracy corpus on node ${process.version}`, () => {
  it("has at least 30 programs, half of them healthy, each with a verdict", () => {
    if (only) return;
    expect(nodeCases.length).toBeGreaterThanOrEqual(30);
    expect(nodeCases.filter((c) => c.verdict === "clean").length * 2).toBeGreaterThanOrEqual(nodeCases.length);
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s", (name) => {
    expectCaseRight(outcomes, name);
  });
});
