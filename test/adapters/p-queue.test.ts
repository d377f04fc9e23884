/**
 * The p-queue adapter against the real p-queue (p-queue-app.mjs, ESM only), with insight started by
 * init() after the imports and by --import: the queue as a PQueue resource whose slots are held by
 * the tasks that added the running jobs, the add that waits for a slot as a PQueue::add op at its
 * await line, the timeout, and the slots freed when the jobs end. Run `npx tsc -b` first.
 */
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { waitFor } from "../support/wait-for.js";
import { attr, waitView, libraryOf, lineOf, sourceText, startApp, START_MODES, type RunningApp } from "./app-harness.js";

const APP = fileURLToPath(new URL("./p-queue-app.mjs", import.meta.url));
const LIBRARY = libraryOf("p-queue");

let app: RunningApp | undefined;
afterEach(() => app?.stop());

describe.each(START_MODES)("p-queue, insight started by %s", (mode) => {
  it("publishes the queue, the slot holders, the queued add, the timeout, and frees the slots", async () => {
    app = await startApp(APP, mode);
    const { a, b, c } = app.info.tasks as Record<string, number>;
    const state = await waitFor(
      async () => {
        const s = await app!.dump();
        const op = s.asyncOps.find((o) => o.pending && o.source === "PQueue::add");
        return op !== undefined && attr(op, "insight.await_line") !== undefined && s;
      },
      { timeoutMs: 20_000, description: "the queued add with its await line" },
    );

    const queues = state.resources.filter((r) => r.concreteType === "PQueue").sort((x, y) => Number(x.id) - Number(y.id));
    expect(queues).toHaveLength(2);
    const [queue, timed] = queues;
    expect(queue!.attributes).toEqual({
      "insight.library": { value: LIBRARY },
      "insight.capacity": { value: 2 },
      "insight.in_use": { value: 2 },
      "insight.pending": { value: 1 },
      "insight.owners": { value: `holder:${a},holder:${b}` },
    });
    // Located at the first add (the class cannot be wrapped: docs/adapters.md).
    expect(queue!.location?.replace(/:\d+$/, "")).toBe(`${APP}:${lineOf(APP, "// await: slot holder")}`);
    expect(attr(timed!, "insight.timeout_ms")).toBe(600000);
    expect(attr(timed!, "insight.owners")).toMatch(/^holder:\d+$/);

    const queuedLine = lineOf(APP, "// await: queued");
    const ops = state.asyncOps.filter((o) => o.pending && o.source === "PQueue::add");
    expect(ops.map(waitView)).toEqual([
      {
        task: c,
        resource: queue!.id,
        at: `${APP}:${queuedLine}`,
        line: sourceText(APP, queuedLine),
        reason: `waiting for a queue slot: 2/2 running (tasks ${a}, ${b})`,
      },
    ]);
    // No generic "a promise created at node_modules/p-queue" wait besides it.
    expect(
      state.asyncOps.filter(
        (o) =>
          o.pending &&
          [a, b, c].includes(Number(o.taskId)) &&
          o.source === "Promise::await" &&
          String(attr(o, "insight.reason")).includes("node_modules/p-queue"),
      ),
    ).toEqual([]);
    expect(state.asyncOps.filter((o) => o.pending && Number(o.taskId) === c && o.source !== "PQueue::add")).toEqual([]);

    app.poke();
    const after = await waitFor(
      async () => {
        const s = await app!.dump();
        const q = s.resources.find((r) => r.id === queue!.id)!;
        return attr(q, "insight.in_use") === 0 && attr(q, "insight.pending") === 0 && s;
      },
      { timeoutMs: 20_000, description: "the queue drained" },
    );
    expect(attr(after.resources.find((r) => r.id === queue!.id)!, "insight.owners")).toBe("");
    expect(after.asyncOps.filter((o) => o.source === "PQueue::add").map((o) => [Number(o.taskId), o.pending])).toEqual([[c, false]]);
  }, 60_000);
});
