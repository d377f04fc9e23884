/**
 * async-mutex's withTimeout against the real library: the ESM build (wrapped as it loads, so under
 * --import) and the CJS build (patched as it is required, before the app destructures it). A
 * wait through withTimeout carries `insight.timeout_ms`, and a wait that times out ends with it,
 * while the lock stays held. Run `npx tsc -b` first.
 */
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { waitFor } from "../support/wait-for.js";
import { attr, lineOfLocation, lineOf, sourceText, startApp, type RunningApp, type StartMode } from "./app-harness.js";

let app: RunningApp | undefined;
afterEach(() => app?.stop());

const CASES: [string, string, StartMode][] = [
  ["the ESM build", "./async-mutex-timeout-app.mjs", "import"],
  ["the CJS build", "./async-mutex-timeout-app.cjs", "import"],
];

describe.each(CASES)("withTimeout, %s", (_build, file, mode) => {
  it("gives waits insight.timeout_ms and ends the one that times out", async () => {
    const APP = fileURLToPath(new URL(file, import.meta.url));
    app = await startApp(APP, mode);
    const { h1, h2, p, i } = app.info.tasks as Record<string, number>;
    // The impatient waiter gives up after 300 ms with async-mutex's own error.
    const [gaveUp] = (await once(app.child.stdout!, "data")) as [Buffer];
    expect(JSON.parse(String(gaveUp))).toEqual({ impatient: "timeout while waiting for mutex to become available" });

    const state = await waitFor(
      async () => {
        const s = await app!.dump();
        const op = s.asyncOps.find((o) => o.pending && Number(o.taskId) === p);
        return op !== undefined && attr(op, "insight.await_line") !== undefined && s;
      },
      { timeoutMs: 20_000, description: "the patient wait with its await line" },
    );

    const mutexes = state.resources
      .filter((r) => r.concreteType === "Mutex")
      .map((r) => ({ timeout: attr(r, "insight.timeout_ms"), owners: attr(r, "insight.owners"), locked: attr(r, "locked") }));
    expect(mutexes.sort((x, y) => Number(x.timeout) - Number(y.timeout))).toEqual([
      { timeout: 300, owners: `holder:${h2}`, locked: true },
      { timeout: 600000, owners: `holder:${h1}`, locked: true },
    ]);
    const patientLine = lineOf(APP, "// await: patient");
    const impatientLine = lineOf(APP, "// await: impatient");
    const ops = state.asyncOps
      .filter((o) => o.source === "Mutex::acquire" && [p, i].includes(Number(o.taskId)))
      .map((o) => ({
        task: Number(o.taskId),
        pending: o.pending,
        at: lineOfLocation(o.location),
        timeout: attr(o, "insight.timeout_ms"),
        reason: attr(o, "insight.reason"),
      }))
      .sort((x, y) => x.task - y.task);
    expect(ops).toEqual([
      { task: p, pending: true, at: `${APP}:${patientLine}`, timeout: 600000, reason: `waiting for lock held by task ${h1}` },
      { task: i, pending: false, at: `${APP}:${impatientLine}`, timeout: 300, reason: `waiting for lock held by task ${h2}` },
    ]);
    expect(attr(state.asyncOps.find((o) => o.pending && Number(o.taskId) === p)!, "insight.await_line")).toBe(sourceText(APP, patientLine));
    // Neither wait is also a plain promise.
    expect(state.asyncOps.filter((o) => o.pending && [p, i].includes(Number(o.taskId)) && o.source !== "Mutex::acquire")).toEqual([]);

    app.poke();
    await waitFor(
      async () => {
        const s = await app!.dump();
        return (
          s.resources.filter((r) => r.concreteType === "Mutex").every((r) => attr(r, "locked") === false && attr(r, "insight.owners") === "") &&
          !s.asyncOps.some((o) => o.pending && o.source === "Mutex::acquire")
        );
      },
      { timeoutMs: 20_000, description: "both locks released, no wait left" },
    );
  }, 60_000);
});

it("a withTimeout taken before init() is not wrapped: its waits are left to the generic await tracker, never shown wrong", async () => {
  const APP = fileURLToPath(new URL("./async-mutex-timeout-app.cjs", import.meta.url));
  app = await startApp(APP, "init");
  const { h1, p, i } = app.info.tasks as Record<string, number>;
  const [gaveUp] = (await once(app.child.stdout!, "data")) as [Buffer];
  expect(JSON.parse(String(gaveUp))).toEqual({ impatient: "timeout while waiting for mutex to become available" });
  const state = await waitFor(
    async () => {
      const s = await app!.dump();
      return s.asyncOps.some((o) => o.pending && Number(o.taskId) === p) && s;
    },
    { timeoutMs: 20_000, description: "the patient wait" },
  );
  // The locks and their holders are still published; the waits through the unwrapped withTimeout are not Mutex::acquire ops.
  expect(
    state.resources
      .filter((r) => r.concreteType === "Mutex")
      .map((r) => attr(r, "insight.owners"))
      .sort(),
  ).toContain(`holder:${h1}`);
  expect(state.asyncOps.filter((o) => o.source === "Mutex::acquire" && [p, i].includes(Number(o.taskId)))).toEqual([]);
  expect(state.asyncOps.filter((o) => o.pending && Number(o.taskId) === p).map((o) => o.source)).toEqual(["Promise::await"]);
}, 60_000);
