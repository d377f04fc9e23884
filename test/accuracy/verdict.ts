/**
 * The accuracy corpora's judge (issue 13 item 7), shared by the Node and the
 * tokio corpus: run `consolation check TARGET --for WINDOW --json` (the built
 * CLI), keep the problems that claim a task is stuck (plus any other error),
 * reduce each to { lint, task names }, and compare with the case's expected
 * verdict, which is written from what the program truly does.
 *
 * Counting rules (also what bench/accuracy.mjs turns into precision/recall):
 * - an expected problem is matched by an observed one with the same lint and
 *   the same task names (a multiset: 200 "philosopher"s are 200 names);
 * - an expected problem nobody matched is a MISS;
 * - an observed problem nobody expected is a FALSE ALARM (a claim about tasks
 *   that are not stuck), except when its tasks all belong to one expected
 *   problem of the case: then the tasks it names really are stuck, and it is
 *   listed as "also reported" (redundant, weaker, part of the group, or the
 *   wrong lint); it is no false alarm, and the expected problem it falls
 *   short of is still a miss;
 * - an expected problem may also pin lines: the observed problem must point
 *   at each `include` line of its file and at none of the `exclude` lines,
 *   or it does not match (the wrong place is a miss).
 */
import { execFile } from "node:child_process";
import { expect } from "vitest";
import { appendFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { STUCK_LINTS } from "@async-insight/engine/testing";

export const CONSOLATION_BIN = fileURLToPath(new URL("../../packages/consolation/bin/consolation.js", import.meta.url));

/** The lints that say "this task is stuck": a healthy program shows none of them (one list, in the engine's testing kit). */
export { STUCK_LINTS };

export interface ExpectedLines {
  /** Base name of the source file the lines are in, e.g. "abba-same-name.mjs". */
  readonly file: string;
  /** Lines the problem must point at. */
  readonly include: readonly number[];
  /** Lines it must not point at. */
  readonly exclude?: readonly number[];
}

export interface ExpectedProblem {
  readonly lint: string;
  /** Task names, order-insensitive; repeat a name once per task that bears it. */
  readonly tasks: readonly string[];
  readonly lines?: ExpectedLines;
}

export type Verdict = "clean" | readonly ExpectedProblem[];

export interface ObservedLocation {
  readonly where: string;
  readonly what: string;
}

export interface ObservedProblem {
  readonly lint: string;
  readonly severity: string;
  readonly summary: string;
  readonly tasks: readonly string[];
  readonly locations: readonly ObservedLocation[];
}

export interface CheckRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Every problem `check` reported, tasks reduced to names. */
  readonly problems: readonly ObservedProblem[];
}

export interface Judgement {
  readonly matched: readonly ExpectedProblem[];
  readonly misses: readonly ExpectedProblem[];
  readonly falseAlarms: readonly ObservedProblem[];
  readonly alsoReported: readonly ObservedProblem[];
  /** Why an expected problem with the right lint and tasks still did not match. */
  readonly notes: readonly string[];
}

/**
 * A task as `check --json` names it: "task 4 process-jobs" today; an object
 * with a `name` is accepted too, in case the report grows structured tasks.
 */
export function taskName(task: unknown): string {
  if (task !== null && typeof task === "object" && "name" in task) return String((task as { name: unknown }).name ?? "");
  const text = String(task);
  const match = /^task \S+(?: (.*))?$/s.exec(text);
  return match ? (match[1] ?? "") : text;
}

/** The problems that count: the stuck lints at error or warning, and every other error. */
export function relevantProblems(problems: readonly ObservedProblem[]): ObservedProblem[] {
  return problems.filter((p) => (STUCK_LINTS.has(p.lint) && (p.severity === "error" || p.severity === "warning")) || p.severity === "error");
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const x = [...a].sort();
  const y = [...b].sort();
  return x.every((n, i) => n === y[i]);
}

/** Every task of `part` bears a name of `whole` (a warning about a task and itself lists it twice). */
function namesWithin(part: readonly string[], whole: readonly string[]): boolean {
  const names = new Set(whole);
  return part.every((n) => names.has(n));
}

function pointsAt(problem: ObservedProblem, file: string, line: number): boolean {
  const pattern = new RegExp(`(^|/)${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:${line}(:|$)`);
  return problem.locations.some((l) => pattern.test(l.where));
}

/** Why `observed` does not point where `lines` says, or undefined when it does. */
function wrongPlace(observed: ObservedProblem, lines: ExpectedLines | undefined): string | undefined {
  if (!lines) return undefined;
  const missing = lines.include.filter((n) => !pointsAt(observed, lines.file, n));
  const wrong = (lines.exclude ?? []).filter((n) => pointsAt(observed, lines.file, n));
  if (missing.length === 0 && wrong.length === 0) return undefined;
  const at = observed.locations.map((l) => l.where).join(", ") || "(no location)";
  return (
    `${observed.lint} [${observed.tasks.join(", ")}] points at ${at}` +
    (missing.length ? `; expected ${lines.file}:${missing.join(",")}` : "") +
    (wrong.length ? `; must not point at ${lines.file}:${wrong.join(",")}` : "")
  );
}

export function judge(expected: Verdict, problems: readonly ObservedProblem[]): Judgement {
  const wanted = expected === "clean" ? [] : [...expected];
  const left = relevantProblems(problems);
  const matched: ExpectedProblem[] = [];
  const misses: ExpectedProblem[] = [];
  const notes: string[] = [];
  for (const want of wanted) {
    const candidates = left.filter((p) => p.lint === want.lint && sameNames(p.tasks, want.tasks));
    const hit = candidates.find((p) => wrongPlace(p, want.lines) === undefined);
    if (hit) {
      matched.push(want);
      left.splice(left.indexOf(hit), 1);
    } else {
      misses.push(want);
      for (const c of candidates) notes.push(wrongPlace(c, want.lines)!);
    }
  }
  const alsoReported = left.filter((p) => wanted.some((w) => namesWithin(p.tasks, w.tasks)));
  const falseAlarms = left.filter((p) => !alsoReported.includes(p));
  return { matched, misses, falseAlarms, alsoReported, notes };
}

const listNames = (tasks: readonly string[]): string => {
  const counts = new Map<string, number>();
  for (const t of tasks) counts.set(t, (counts.get(t) ?? 0) + 1);
  return [...counts].map(([n, k]) => (k > 1 ? `${n || "(unnamed)"} x${k}` : n || "(unnamed)")).join(", ");
};

/** A readable diff of one case: what was expected, what the tool said, and what differs. */
export function formatJudgement(name: string, expected: Verdict, run: Pick<CheckRun, "code" | "stderr" | "problems">, j: Judgement): string {
  const out = [`case ${name}: expected ${expected === "clean" ? "clean" : expected.map((e) => `${e.lint} [${listNames(e.tasks)}]`).join("; ")}`];
  out.push(`  check exited ${run.code}${run.stderr.trim() ? `, stderr: ${run.stderr.trim().split("\n")[0]}` : ""}`);
  for (const m of j.misses) out.push(`  - MISS ${m.lint} [${listNames(m.tasks)}]`);
  for (const n of j.notes) out.push(`    note: ${n}`);
  for (const f of j.falseAlarms) out.push(`  + FALSE ALARM ${f.severity} ${f.lint} [${listNames(f.tasks)}]: ${f.summary}`);
  for (const a of j.alsoReported) out.push(`  ~ also reported, about tasks that are stuck (not counted) ${a.lint} [${listNames(a.tasks)}]: ${a.summary}`);
  const others = run.problems.filter((p) => !relevantProblems([p]).length);
  if (others.length) out.push(`  (other warnings: ${[...new Set(others.map((p) => p.lint))].join(", ")})`);
  return out.join("\n");
}

interface RawReport {
  problems?: Array<{ lint: string; severity: string; summary: string; tasks: unknown[]; locations?: ObservedLocation[] }>;
}

/** Runs the built CLI's `check --json` on a live target (or a file) and reads its problems. */
export function runCheck(target: string, window: string, options: { cwd?: string; node?: string } = {}): Promise<CheckRun> {
  const windowMs = Number.parseFloat(window) * (window.endsWith("ms") ? 1 : 1000);
  return new Promise((resolve) => {
    execFile(
      options.node ?? process.execPath,
      [CONSOLATION_BIN, "check", target, "--for", window, "--json"],
      { cwd: options.cwd, timeout: windowMs + 30_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        let problems: ObservedProblem[] = [];
        try {
          const report = JSON.parse(stdout) as RawReport;
          problems = (report.problems ?? []).map((p) => ({
            lint: p.lint,
            severity: p.severity,
            summary: p.summary,
            tasks: p.tasks.map(taskName),
            locations: p.locations ?? [],
          }));
        } catch {
          stderr = `${stderr}\n(check printed no JSON report)`;
        }
        resolve({ code, stdout, stderr, problems });
      },
    );
  });
}

export interface CaseOutcome {
  readonly runtime: string;
  readonly name: string;
  readonly expected: Verdict;
  readonly judgement: Judgement;
  readonly report: string;
  /** Everything check reported, for a closer look (ACCURACY_VERBOSE). */
  readonly problems: readonly ObservedProblem[];
}

/**
 * Judges one case and, when ACCURACY_RESULTS names a file, appends the outcome
 * there as one JSON line: bench/accuracy.mjs sums these into precision/recall.
 */
export function recordOutcome(runtime: string, name: string, expected: Verdict, run: CheckRun): CaseOutcome {
  const judgement = judge(expected, run.problems);
  const report = formatJudgement(name, expected, run, judgement);
  const file = process.env.ACCURACY_RESULTS;
  if (file) {
    const line = {
      runtime,
      node: process.version,
      name,
      expected: expected === "clean" ? [] : expected.map((e) => ({ lint: e.lint, tasks: e.tasks.length })),
      matched: judgement.matched.length,
      misses: judgement.misses.map((m) => m.lint),
      falseAlarms: judgement.falseAlarms.map((f) => f.lint),
    };
    appendFileSync(file, `${JSON.stringify(line)}\n`);
  }
  return { runtime, name, expected, judgement, report, problems: run.problems };
}

/** True when the case was judged right: nothing missed, no false alarm. */
export function passed(outcome: CaseOutcome): boolean {
  return outcome.judgement.misses.length === 0 && outcome.judgement.falseAlarms.length === 0;
}

/** Runs cases `width` at a time, in order; each case's outcome, or the error that stopped it, is kept by name. */
export async function runBatches<C extends { readonly name: string }>(
  cases: readonly C[],
  width: number,
  runCase: (c: C) => Promise<CaseOutcome>,
): Promise<Map<string, CaseOutcome | Error>> {
  const results = new Map<string, CaseOutcome | Error>();
  let next = 0;
  async function worker(): Promise<void> {
    while (next < cases.length) {
      const c = cases[next++]!;
      try {
        results.set(c.name, await runCase(c));
      } catch (error) {
        results.set(c.name, error instanceof Error ? error : new Error(String(error)));
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(width, cases.length) }, worker));
  return results;
}

/** Asserts one case came out right; the judgement's diff is the failure message. */
export function expectCaseRight(outcomes: ReadonlyMap<string, CaseOutcome | Error>, name: string): void {
  const outcome = outcomes.get(name);
  if (outcome === undefined) throw new Error(`case ${name} was not run`);
  if (outcome instanceof Error) throw outcome;
  if (process.env.ACCURACY_VERBOSE) console.log(`${outcome.report}\n${JSON.stringify(outcome.problems, null, 1)}`);
  if (!passed(outcome)) expect.fail(outcome.report);
  expect(outcome.judgement.misses).toEqual([]);
  expect(outcome.judgement.falseAlarms).toEqual([]);
}
