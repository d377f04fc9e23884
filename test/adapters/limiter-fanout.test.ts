/**
 * A task fanning out three calls over a limiter of 2 — p-limit (p-limit-fanout-app.mjs, started with
 * --import: p-limit is instrumented only that way) and p-queue (p-queue-fanout-app.mjs, both start
 * modes) — waits for a slot its own running calls free by themselves: the slots are counted in
 * `insight.in_use` without owners and `check` finds nothing stuck. The real nested deadlock (each
 * running function calls the limiter from inside its slot, every slot taken that way) still fails
 * `check` with deadlock-cycle (docs/adapters.md, "The slot rule"). Run `npx tsc -b` first.
 */
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../cli/run-cli.js";
import { waitFor } from "../support/wait-for.js";
import { attr, lineOf, sourceText, startApp, type Dump, type RunningApp, type StartMode } from "./app-harness.js";

interface Limiter {
  readonly library: string;
  readonly app: string;
  readonly modes: readonly StartMode[];
  readonly concreteType: string;
  readonly source: string;
  /** The reason's words: "a limiter slot" / "a queue slot", "calls" / "jobs". */
  readonly slot: string;
  readonly work: string;
}

const LIMITERS: readonly Limiter[] = [
  {
    library: "p-limit",
    app: fileURLToPath(new URL("./p-limit-fanout-app.mjs", import.meta.url)),
    modes: ["import"],
    concreteType: "Limiter",
    source: "Limiter::run",
    slot: "a limiter slot",
    work: "calls",
  },
  {
    library: "p-queue",
    app: fileURLToPath(new URL("./p-queue-fanout-app.mjs", import.meta.url)),
    modes: ["init", "import"],
    concreteType: "PQueue",
    source: "PQueue::add",
    slot: "a queue slot",
    work: "jobs",
  },
];

let app: RunningApp | undefined;
afterEach(() => {
  app?.stop();
  delete process.env.NESTED;
});

const problemsOf = (stdout: string) => stdout.split("\n").filter((l) => /^(error|warning)\[/.test(l));

const cases = LIMITERS.flatMap((limiter) => limiter.modes.map((mode) => [limiter.library, mode, limiter] as const));

describe.each(cases)("%s fan-out and nested calls, insight started by %s", (_library, mode, limiter) => {
  const APP = limiter.app;
  const pending = (s: Dump) => s.asyncOps.filter((o) => o.pending && o.source === limiter.source);

  it("counts the running calls of a fan-out without naming its task their holder, and check passes", async () => {
    app = await startApp(APP, mode);
    const { fanout } = app.info.tasks as { fanout: number };
    const state = await waitFor(
      async () => {
        const s = await app!.dump();
        const waiting = pending(s);
        return waiting.length === 1 && attr(waiting[0]!, "insight.await_line") !== undefined && s;
      },
      { timeoutMs: 20_000, description: "the third call waiting, with its await line" },
    );
    const resource = state.resources.find((r) => r.concreteType === limiter.concreteType)!;
    expect({
      capacity: attr(resource, "insight.capacity"),
      inUse: attr(resource, "insight.in_use"),
      pending: attr(resource, "insight.pending"),
      owners: attr(resource, "insight.owners"),
    }).toEqual({ capacity: 2, inUse: 2, pending: 1, owners: "" });
    const line = lineOf(APP, "// await: fanout");
    expect(
      pending(state).map((o) => ({ task: Number(o.taskId), resource: o.resourceId, line: attr(o, "insight.await_line"), reason: attr(o, "insight.reason") })),
    ).toEqual([
      {
        task: fanout,
        resource: resource.id,
        line: sourceText(APP, line),
        reason: `waiting for ${limiter.slot}: 2/2 running, 2 of them ${limiter.work} of task ${fanout} that free themselves`,
      },
    ]);

    const checked = await runCli(["check", "--for", "2s", `127.0.0.1:${app.console}`], { timeoutMs: 30_000 });
    expect({ code: checked.code, problems: problemsOf(checked.stdout) }).toEqual({ code: 0, problems: [] });
  }, 60_000);

  it("still fails check with deadlock-cycle when each running call uses the limiter from inside its slot", async () => {
    process.env.NESTED = "1";
    app = await startApp(APP, mode);
    const [a, b] = (app.info.tasks as { nested: number[] }).nested as [number, number];
    const state = await waitFor(
      async () => {
        const s = await app!.dump();
        return pending(s).filter((o) => attr(o, "insight.await_line") !== undefined).length === 2 && s;
      },
      { timeoutMs: 20_000, description: "both nested calls waiting" },
    );
    const resource = state.resources.find((r) => r.concreteType === limiter.concreteType)!;
    expect(attr(resource, "insight.owners")).toBe(`holder:${a},holder:${b}`);
    const line = sourceText(APP, lineOf(APP, "// await: nested"));
    expect(
      pending(state)
        .map((o) => [Number(o.taskId), attr(o, "insight.await_line"), attr(o, "insight.reason")])
        .sort(),
    ).toEqual([
      [a, line, `waiting for ${limiter.slot}: 2/2 running (tasks ${a}, ${b})`],
      [b, line, `waiting for ${limiter.slot}: 2/2 running (tasks ${a}, ${b})`],
    ]);

    const checked = await runCli(["check", "--for", "2s", `127.0.0.1:${app.console}`], { timeoutMs: 30_000 });
    expect(checked.code).toBe(1);
    const problems = problemsOf(checked.stdout);
    expect(problems).toHaveLength(1);
    const appFile = APP.split("/").pop()!.replace(/\./g, "\\.");
    expect(problems[0]).toMatch(
      new RegExp(
        `^error\\[deadlock-cycle\\]: Tasks ${a} "nested-a", ${b} "nested-b" wait on each other through ${limiter.concreteType} \\d+ at ${appFile}:\\d+:\\d+ and can never make progress: .*2/2 slots held by tasks ${a} and ${b}, each waiting for another slot`,
      ),
    );
  }, 60_000);
});
