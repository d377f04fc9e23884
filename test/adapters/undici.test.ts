/**
 * The undici adapter in a real app (undici-app.mjs), with insight started by init() after the imports
 * and by --import: request() and fetch() behind a hanging request on an Agent with one connection are
 * Agent::dispatch ops at their await lines. Run `npx tsc -b` first (the dump is the built CLI).
 */
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { waitFor } from "../support/wait-for.js";
import { attr, lineOfLocation, libraryOf, lineOf, sourceText, startApp, START_MODES, type RunningApp } from "./app-harness.js";

const APP = fileURLToPath(new URL("./undici-app.mjs", import.meta.url));

let app: RunningApp | undefined;
afterEach(() => app?.stop());

describe.each(START_MODES)("undici, insight started by %s", (mode) => {
  it("publishes requests waiting for the Agent's only connection", async () => {
    app = await startApp(APP, mode);
    const { second, third } = app.info.tasks as { second: number; third: number };
    const origin = app.info.origin as string;
    const state = await waitFor(
      async () => {
        const s = await app!.dump();
        const ops = s.asyncOps.filter((o) => o.pending && o.source === "Agent::dispatch");
        return ops.length === 2 && ops.every((o) => attr(o, "insight.await_line") !== undefined) && s;
      },
      { timeoutMs: 20_000, description: "two Agent::dispatch waits with their await lines" },
    );
    const agent = state.resources.find((r) => r.concreteType === "Agent")!;
    expect(attr(agent, "insight.library")).toBe(libraryOf("undici"));
    expect(attr(agent, "insight.name")).toBe(origin);
    const requestLine = lineOf(APP, "// await: request");
    const ops = state.asyncOps
      .filter((o) => o.pending && o.source === "Agent::dispatch")
      .map((o) => ({ task: Number(o.taskId), resource: o.resourceId, reason: attr(o, "insight.reason"), at: lineOfLocation(o.location) }))
      .sort((x, y) => x.task - y.task);
    const reason = `waiting for a connection to ${origin}: 1/1 connections busy (1 request running)`;
    expect(ops[0]).toEqual({ task: second, resource: agent.id, reason, at: `${APP}:${requestLine}` });
    expect(ops[1]).toMatchObject({ task: third, resource: agent.id, reason });
    expect(attr(state.asyncOps.find((o) => o.pending && Number(o.taskId) === second && o.source === "Agent::dispatch")!, "insight.await_line")).toBe(
      sourceText(APP, requestLine),
    );
    const others = (task: number) =>
      state.asyncOps.filter((o) => o.pending && Number(o.taskId) === task && o.source !== "Agent::dispatch").map((o) => attr(o, "insight.reason"));
    // Each wait is listed once: the generic await tracker does not report these awaits again. request()
    // dispatches inside the call (its promise is claimed, or, when the app bound `request` before init()
    // could wrap it, the await that follows in the same run is). fetch() dispatches after its own
    // awaits: the queued dispatch withdraws the await of the fetch's promise.
    expect(others(second)).toEqual([]);
    expect(others(third)).toEqual([]);
  }, 60_000);
});
