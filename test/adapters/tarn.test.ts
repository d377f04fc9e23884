/**
 * The tarn adapter against the real tarn (tarn-app.mjs): the pool (located where the app made it),
 * the tasks holding its resources, the acquire that waits as a Pool::acquire op naming them, the
 * acquire timeout tarn always has, and release clearing the holders. Run `npx tsc -b` first.
 */
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { waitFor } from "../support/wait-for.js";
import { attr, waitView, libraryOf, lineOf, sourceText, startApp, START_MODES, type RunningApp } from "./app-harness.js";

const APP = fileURLToPath(new URL("./tarn-app.mjs", import.meta.url));

let app: RunningApp | undefined;
afterEach(() => app?.stop());

describe.each(START_MODES)("tarn, insight started by %s", (mode) => {
  it("publishes the pool, its holders, the blocked acquire with the timeout, and releases", async () => {
    app = await startApp(APP, mode);
    const { a, b, c } = app.info.tasks as Record<string, number>;
    const state = await waitFor(
      async () => {
        const s = await app!.dump();
        const op = s.asyncOps.find((o) => o.pending && o.source === "Pool::acquire");
        return op !== undefined && attr(op, "insight.await_line") !== undefined && s;
      },
      { timeoutMs: 20_000, description: "the blocked acquire with its await line" },
    );

    const pools = state.resources.filter((r) => r.concreteType === "Pool");
    expect(pools).toHaveLength(1);
    const pool = pools[0]!;
    // With init() after the imports the class was already bound by the app: located at the first acquire.
    expect(pool.location?.replace(/:\d+$/, "")).toBe(`${APP}:${lineOf(APP, mode === "import" ? "// create: pool" : "// await: holder")}`);
    expect(pool.attributes).toEqual({
      "insight.library": { value: libraryOf("tarn") },
      "insight.capacity": { value: 2 },
      "insight.in_use": { value: 2 },
      "insight.pending": { value: 1 },
      "insight.timeout_ms": { value: 600000 },
      "insight.owners": { value: `holder:${a},holder:${b}` },
    });
    const line = lineOf(APP, "// await: latecomer");
    const ops = state.asyncOps.filter((o) => o.pending && o.source === "Pool::acquire");
    expect(ops.map(waitView)).toEqual([
      {
        task: c,
        resource: pool.id,
        at: `${APP}:${line}`,
        line: sourceText(APP, line),
        reason: `waiting for a pool connection: 2/2 checked out by tasks ${a}, ${b}`,
      },
    ]);
    expect(state.asyncOps.filter((o) => o.pending && Number(o.taskId) === c && o.source !== "Pool::acquire")).toEqual([]);

    app.poke();
    const after = await waitFor(
      async () => {
        const s = await app!.dump();
        const p = s.resources.find((r) => r.id === pool.id)!;
        return attr(p, "insight.in_use") === 0 && s;
      },
      { timeoutMs: 20_000, description: "the pool released" },
    );
    expect(attr(after.resources.find((r) => r.id === pool.id)!, "insight.owners")).toBe("");
    // (The holders' own acquires waited too, briefly, while tarn created the resources: min is 0.)
    expect(after.asyncOps.filter((o) => o.source === "Pool::acquire" && Number(o.taskId) === c).map((o) => o.pending)).toEqual([false]);
    expect(after.asyncOps.filter((o) => o.pending)).toEqual([]);
  }, 60_000);
});
