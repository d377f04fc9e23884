/**
 * The p-limit adapter against the real p-limit (p-limit-app.mjs, ESM only, started with --import:
 * its limiters are closures, wrapped as the module loads): the limiter as a Limiter resource whose
 * slots are held by the calling tasks, the call that waits for a slot as a Limiter::run op at its
 * await line naming the running tasks, and the slots freed. Run `npx tsc -b` first.
 */
import { fileURLToPath } from "node:url";
import { afterEach, expect, it } from "vitest";
import { waitFor } from "../support/wait-for.js";
import { attr, waitView, libraryOf, lineOf, sourceText, startApp, type RunningApp } from "./app-harness.js";

const APP = fileURLToPath(new URL("./p-limit-app.mjs", import.meta.url));

let app: RunningApp | undefined;
afterEach(() => app?.stop());

it("publishes the limiter, the slot holders, the queued call, and frees the slots (--import)", async () => {
  app = await startApp(APP, "import");
  const { a, b, c } = app.info.tasks as Record<string, number>;
  const state = await waitFor(
    async () => {
      const s = await app!.dump();
      const op = s.asyncOps.find((o) => o.pending && o.source === "Limiter::run");
      return op !== undefined && attr(op, "insight.await_line") !== undefined && s;
    },
    { timeoutMs: 20_000, description: "the queued call with its await line" },
  );

  const limiters = state.resources.filter((r) => r.concreteType === "Limiter");
  expect(limiters).toHaveLength(1);
  const limiter = limiters[0]!;
  expect(limiter.location?.replace(/:\d+$/, "")).toBe(`${APP}:${lineOf(APP, "// create: limiter")}`);
  expect(limiter.attributes).toEqual({
    "insight.library": { value: libraryOf("p-limit") },
    "insight.capacity": { value: 2 },
    "insight.in_use": { value: 2 },
    "insight.pending": { value: 1 },
    "insight.owners": { value: `holder:${a},holder:${b}` },
  });
  const queued = lineOf(APP, "// await: queued");
  const ops = state.asyncOps.filter((o) => o.pending && o.source === "Limiter::run");
  expect(ops.map(waitView)).toEqual([
    {
      task: c,
      resource: limiter.id,
      at: `${APP}:${queued}`,
      line: sourceText(APP, queued),
      reason: `waiting for a limiter slot: 2/2 running (tasks ${a}, ${b})`,
    },
  ]);
  // The queued call is not also reported as a plain promise. (The holders' own tasks show p-limit's
  // internal `await result` on their running function: that is not a limiter wait.)
  expect(state.asyncOps.filter((o) => o.pending && Number(o.taskId) === c && o.source !== "Limiter::run")).toEqual([]);

  app.poke();
  const after = await waitFor(
    async () => {
      const s = await app!.dump();
      const l = s.resources.find((r) => r.id === limiter.id)!;
      return attr(l, "insight.in_use") === 0 && attr(l, "insight.pending") === 0 && s;
    },
    { timeoutMs: 20_000, description: "the limiter drained" },
  );
  expect(attr(after.resources.find((r) => r.id === limiter.id)!, "insight.owners")).toBe("");
  expect(after.asyncOps.filter((o) => o.source === "Limiter::run").map((o) => [Number(o.taskId), o.pending])).toEqual([[c, false]]);
}, 60_000);
