/**
 * The async-mutex adapter against the real async-mutex (async-mutex-app.mjs, its ESM build; the CJS
 * build and withTimeout: async-mutex-timeout.test.ts): a Mutex with its certain holder and the
 * acquire, runExclusive and waitForUnlock waits naming it, a Semaphore with possible permit holders and a wait that
 * names nobody, and everything released. Run `npx tsc -b` first.
 */
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { waitFor } from "../support/wait-for.js";
import { attr, lineOfLocation, libraryOf, lineOf, sourceText, startApp, START_MODES, type RunningApp } from "./app-harness.js";

const APP = fileURLToPath(new URL("./async-mutex-app.mjs", import.meta.url));
const LIBRARY = libraryOf("async-mutex");
const at = (marker: string) => `${APP}:${lineOf(APP, marker)}`;
const SOURCES = ["Mutex::acquire", "Mutex::waitForUnlock", "Semaphore::acquire"];

let app: RunningApp | undefined;
afterEach(() => app?.stop());

describe.each(START_MODES)("async-mutex, insight started by %s", (mode) => {
  it("publishes the Mutex and its holder, the Semaphore and its permits, each blocked wait, and releases", async () => {
    app = await startApp(APP, mode);
    const { h, w, x, u, p1, p2, pw } = app.info.tasks as Record<string, number>;
    const state = await waitFor(
      async () => {
        const s = await app!.dump();
        const ops = s.asyncOps.filter((o) => o.pending && SOURCES.includes(o.source));
        return ops.length === 4 && ops.every((o) => attr(o, "insight.await_line") !== undefined) && s;
      },
      { timeoutMs: 20_000, description: "three blocked waits with their await lines" },
    );

    const mutex = state.resources.find((r) => r.concreteType === "Mutex")!;
    expect(mutex.attributes).toEqual({
      "insight.library": { value: LIBRARY },
      "insight.capacity": { value: 1 },
      "insight.in_use": { value: 1 },
      "insight.pending": { value: 2 },
      locked: { value: true },
      "insight.owners": { value: `holder:${h}` },
    });
    const semaphore = state.resources.find((r) => r.concreteType === "Semaphore")!;
    expect(semaphore.attributes).toEqual({
      "insight.library": { value: LIBRARY },
      "insight.capacity": { value: 2 },
      "insight.in_use": { value: 2 },
      "insight.pending": { value: 1 },
      permits: { value: 0 },
      "insight.owners": { value: `permit:${p1},permit:${p2}` },
    });
    // Made before anything used them: located at their first acquire (docs/adapters.md).
    expect(mutex.location?.replace(/:\d+$/, "")).toBe(at("// await: holder"));
    expect(semaphore.location?.replace(/:\d+$/, "")).toBe(at("// await: permit holder"));

    const ops = state.asyncOps
      .filter((o) => o.pending && SOURCES.includes(o.source))
      .map((o) => ({
        task: Number(o.taskId),
        source: o.source,
        resource: o.resourceId,
        at: lineOfLocation(o.location),
        line: attr(o, "insight.await_line"),
        reason: attr(o, "insight.reason"),
      }))
      .sort((a, b) => a.task - b.task);
    const line = (marker: string) => lineOf(APP, marker);
    expect(ops).toEqual([
      {
        task: w,
        source: "Mutex::acquire",
        resource: mutex.id,
        at: at("// await: waiter"),
        line: sourceText(APP, line("// await: waiter")),
        reason: `waiting for lock held by task ${h}`,
      },
      {
        task: x,
        source: "Mutex::acquire",
        resource: mutex.id,
        at: at("// await: exclusive"),
        line: sourceText(APP, line("// await: exclusive")),
        reason: `waiting for lock held by task ${h}`,
      },
      {
        task: u,
        source: "Mutex::waitForUnlock",
        resource: mutex.id,
        at: at("// await: unlock watcher"),
        line: sourceText(APP, line("// await: unlock watcher")),
        reason: `waiting for the lock to be released, held by task ${h}`,
      },
      {
        task: pw,
        source: "Semaphore::acquire",
        resource: semaphore.id,
        at: at("// await: permit waiter"),
        line: sourceText(APP, line("// await: permit waiter")),
        reason: "waiting for 1 permit (2/2 in use, 0 available)",
      },
    ]);
    expect(state.asyncOps.filter((o) => o.pending && [w, x, u, pw].includes(Number(o.taskId)) && !SOURCES.includes(o.source))).toEqual([]);

    app.poke();
    const after = await waitFor(
      async () => {
        const s = await app!.dump();
        const m = s.resources.find((r) => r.id === mutex.id)!;
        const sem = s.resources.find((r) => r.id === semaphore.id)!;
        return attr(m, "locked") === false && attr(sem, "permits") === 2 && s;
      },
      { timeoutMs: 20_000, description: "the lock and the permits released" },
    );
    expect(attr(after.resources.find((r) => r.id === mutex.id)!, "insight.owners")).toBe("");
    expect(attr(after.resources.find((r) => r.id === semaphore.id)!, "insight.owners")).toBe("");
    expect(
      after.asyncOps
        .filter((o) => SOURCES.includes(o.source))
        .map((o) => [Number(o.taskId), o.pending])
        .sort((a, b) => (a[0]! as number) - (b[0]! as number)),
    ).toEqual([
      [w, false],
      [x, false],
      [u, false],
      [pw, false],
    ]);
  }, 60_000);
});
