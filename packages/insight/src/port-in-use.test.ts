/** A taken port: one warning, no throw, and the app (and insight's tasks) carry on. */
import { createServer, type Server } from "node:net";
import { afterAll, expect, it } from "vitest";
import * as insight from "./index.js";

let blocker: Server | undefined;

afterAll(async () => {
  await insight.shutdown();
  blocker?.close();
});

it("warns once and carries on when the console port is taken", async () => {
  blocker = createServer();
  const port = await new Promise<number>((resolve) => blocker!.listen(0, "127.0.0.1", () => resolve((blocker!.address() as { port: number }).port)));
  const warnings: Error[] = [];
  const onWarning = (w: Error) => warnings.push(w);
  process.on("warning", onWarning);
  const handle = insight.init({ listenPort: port });
  expect(await handle.ready).toBeUndefined();
  await new Promise((resolve) => setImmediate(resolve));
  process.off("warning", onWarning);
  const ours = warnings.filter((w) => (w as NodeJS.ErrnoException).code === "INSIGHT_SERVER");
  expect(ours).toHaveLength(1);
  expect(ours[0]!.message).toContain(`port ${port} is already in use`);
  expect(await insight.spawn("still-works", () => 1)).toBe(1);
});
