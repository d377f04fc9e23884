/**
 * A taken port: no throw, exactly one process warning (Node's own channel for
 * it, which --no-warnings silences), the same diagnostic on the
 * insight:diagnostics channel, and the app (and insight's tasks) carry on.
 */
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { createServer, type Server } from "node:net";
import { afterAll, expect, it } from "vitest";
import * as insight from "./index.js";

let blocker: Server | undefined;

afterAll(async () => {
  await insight.shutdown();
  blocker?.close();
});

it("reports a taken console port once, as a process warning and a diagnostic", async () => {
  blocker = createServer();
  const port = await new Promise<number>((resolve) => blocker!.listen(0, "127.0.0.1", () => resolve((blocker!.address() as { port: number }).port)));
  const warnings: Error[] = [];
  const diagnostics: insight.InsightDiagnostic[] = [];
  const onWarning = (w: Error) => warnings.push(w);
  const onDiagnostic = (message: unknown) => diagnostics.push(message as insight.InsightDiagnostic);
  process.on("warning", onWarning);
  subscribe(insight.DIAGNOSTICS_CHANNEL, onDiagnostic);
  const handle = insight.init({ listenPort: port });
  expect(await handle.ready).toBeUndefined();
  await new Promise((resolve) => setImmediate(resolve));
  process.off("warning", onWarning);
  unsubscribe(insight.DIAGNOSTICS_CHANNEL, onDiagnostic);
  const ours = warnings.filter((w) => (w as NodeJS.ErrnoException).code === "INSIGHT_SERVER");
  expect(ours.map((w) => w.message)).toEqual([diagnostics[0]?.message]);
  expect(diagnostics).toHaveLength(1);
  expect(diagnostics[0]!.code).toBe("INSIGHT_SERVER");
  expect(diagnostics[0]!.message).toContain(`port ${port} is already in use`);
  expect(await insight.spawn("still-works", () => 1)).toBe(1);
});
