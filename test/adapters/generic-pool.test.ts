/**
 * The generic-pool adapter against the real generic-pool (generic-pool-app.mjs), with insight started
 * by init() after the imports and by --import: the pool as a resource with its holders, each blocked
 * acquire as a Pool::acquire op at its await line with words naming the holders, the timeout, and
 * release clearing the holder. Run `npx tsc -b` first (the dump is the built CLI).
 */
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { waitFor } from "../support/wait-for.js";
import { attr, waitView, libraryOf, lineOf, sourceText, startApp, START_MODES, type Dump, type RunningApp } from "./app-harness.js";

const APP = fileURLToPath(new URL("./generic-pool-app.mjs", import.meta.url));
const at = (marker: string) => `${APP}:${lineOf(APP, marker)}`;

let app: RunningApp | undefined;
afterEach(() => app?.stop());

function pools(state: Dump) {
  return state.resources.filter((r) => r.concreteType === "Pool");
}

describe.each(START_MODES)("generic-pool, insight started by %s", (mode) => {
  it("publishes the pool, its holders, each blocked acquire, the timeout, and releases", async () => {
    app = await startApp(APP, mode);
    const { a, b, waiter, holder } = app.info.tasks as Record<string, number>;
    const state = await waitFor(
      async () => {
        const s = await app!.dump();
        const ops = s.asyncOps.filter((o) => o.pending && o.source === "Pool::acquire");
        return ops.length === 3 && ops.every((o) => attr(o, "insight.await_line") !== undefined) && s;
      },
      { timeoutMs: 20_000, description: "three blocked acquires with their await lines" },
    );

    const [orders, timed] = pools(state).sort((x, y) => Number(x.id) - Number(y.id));
    expect(orders!.location?.replace(/:\d+$/, "")).toBe(at("// create: orders"));
    expect(orders!.attributes).toEqual({
      "insight.library": { value: libraryOf("generic-pool") },
      "insight.capacity": { value: 2 },
      "insight.in_use": { value: 2 },
      "insight.pending": { value: 2 },
      "insight.owners": { value: `holder:${a},holder:${b}` },
    });
    expect(timed!.location?.replace(/:\d+$/, "")).toBe(at("// create: timed"));
    expect(attr(timed!, "insight.timeout_ms")).toBe(600000);
    expect(attr(timed!, "insight.owners")).toBe(`holder:${holder}`);

    const blocked = state.asyncOps.filter((o) => o.pending && o.source === "Pool::acquire").map(waitView);
    const second = lineOf(APP, "// await: second");
    const timedLine = lineOf(APP, "// await: timed");
    expect(blocked.sort((x, y) => x.task - y.task)).toEqual([
      {
        task: a,
        resource: orders!.id,
        at: `${APP}:${second}`,
        line: sourceText(APP, second),
        reason: `waiting for a pool connection: 2/2 checked out by tasks ${a}, ${b}`,
      },
      {
        task: b,
        resource: orders!.id,
        at: `${APP}:${second}`,
        line: sourceText(APP, second),
        reason: `waiting for a pool connection: 2/2 checked out by tasks ${a}, ${b}`,
      },
      {
        task: waiter,
        resource: timed!.id,
        at: `${APP}:${timedLine}`,
        line: sourceText(APP, timedLine),
        reason: `waiting for a pool connection: 1/1 checked out by task ${holder}`,
      },
    ]);
    // The generic await tracker (on for every await here) does not also report these waits.
    expect(state.asyncOps.filter((o) => o.pending && [a, b, waiter].includes(Number(o.taskId)) && o.source !== "Pool::acquire")).toEqual([]);

    // A releaser task gives the holder's connection back: the waiter gets it (woken by that task), then returns it too.
    app.poke();
    const [released] = (await once(app.child.stdout!, "data")) as [Buffer];
    const { releaser } = JSON.parse(String(released)) as { releaser: number };
    const after = await waitFor(
      async () => {
        const s = await app!.dump();
        const pool = pools(s).find((r) => r.id === timed!.id)!;
        return attr(pool, "insight.in_use") === 0 && s;
      },
      { timeoutMs: 20_000, description: "the timed pool released" },
    );
    const timedAfter = pools(after).find((r) => r.id === timed!.id)!;
    expect(attr(timedAfter, "insight.owners")).toBe("");
    expect(attr(timedAfter, "insight.pending")).toBe(0);
    const waiterOps = after.asyncOps.filter((o) => Number(o.taskId) === waiter && o.source === "Pool::acquire");
    expect(waiterOps.map((o) => [o.pending, attr(o, "insight.woken_by")])).toEqual([[false, releaser]]);
  }, 60_000);
});
