/**
 * The console server's exposure and limits, through init(): one warning for
 * a bind other machines can reach, a token that every call must carry, and
 * a cap on consoles whose refusal a console shows and recovers from.
 */
import { ConsoleClient, fetchSnapshot, parseTarget, SnapshotError, watchTarget, type ConnectionState } from "@async-insight/client";
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { afterEach, expect, it } from "vitest";
import * as insight from "./index.js";

afterEach(() => insight.shutdown());

function collectDiagnostics() {
  const warnings: Error[] = [];
  const diagnostics: insight.InsightDiagnostic[] = [];
  const onWarning = (w: Error) => warnings.push(w);
  const onDiagnostic = (message: unknown) => diagnostics.push(message as insight.InsightDiagnostic);
  process.on("warning", onWarning);
  subscribe(insight.DIAGNOSTICS_CHANNEL, onDiagnostic);
  return {
    warnings,
    diagnostics,
    stop: () => {
      process.off("warning", onWarning);
      unsubscribe(insight.DIAGNOSTICS_CHANNEL, onDiagnostic);
    },
  };
}

it("warns once about a non-loopback bind, and with a token refuses calls that lack it", async () => {
  const seen = collectDiagnostics();
  const handle = insight.init({ listenPort: 0, host: "0.0.0.0", token: "t0k3n" });
  const address = await handle.ready;
  await new Promise((resolve) => setImmediate(resolve));
  seen.stop();
  const message = `insight: the console server listens on 0.0.0.0:${address!.port}, reachable from other machines; calls need the token, but it travels in plain text (no TLS): keep the port on a trusted network. See docs/security.md.`;
  // Other diagnostics (INSIGHT_LISTENING says where the server listens) are not warnings.
  expect(seen.diagnostics.filter((d) => d.code === "INSIGHT_EXPOSED")).toEqual([{ code: "INSIGHT_EXPOSED", message }]);
  expect(seen.warnings.filter((w) => (w as NodeJS.ErrnoException).code === "INSIGHT_EXPOSED").map((w) => w.message)).toEqual([message]);

  const target = parseTarget(`http://127.0.0.1:${address!.port}`);
  const refused = await fetchSnapshot(new ConsoleClient(target)).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(SnapshotError);
  expect((refused as Error).message).toBe(
    `http://127.0.0.1:${address!.port} requires a token: pass it with --token or CONSOLATION_TOKEN (this console server requires a token: send gRPC metadata authorization: Bearer <token>)`,
  );
  const pieces = await fetchSnapshot(new ConsoleClient(target, { token: "t0k3n" }));
  expect(pieces[0]!.taskUpdate?.newTasks.length).toBeGreaterThan(0);
});

it("says nothing about a loopback bind", async () => {
  const seen = collectDiagnostics();
  await insight.init({ listenPort: 0 }).ready;
  await new Promise((resolve) => setImmediate(resolve));
  seen.stop();
  expect(seen.diagnostics.filter((d) => d.code === "INSIGHT_EXPOSED")).toEqual([]);
  expect(seen.warnings.filter((w) => String((w as NodeJS.ErrnoException).code).startsWith("INSIGHT"))).toEqual([]);
});

it("refuses a console past maxStreams with the reason, and the refused console connects once a slot frees", async () => {
  const address = await insight.init({ listenPort: 0, maxStreams: 2 }).ready;
  const target = parseTarget(`http://127.0.0.1:${address!.port}`);
  const watch = (onState: (state: ConnectionState) => void) =>
    watchTarget(new ConsoleClient(target), { onUpdate: () => {}, onConnection: onState }, { initialMs: 50, maxMs: 100 });
  const connected = () => {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    return { promise, onState: (s: ConnectionState) => s.status === "connected" && resolve() };
  };
  const a = connected();
  const b = connected();
  const first = watch(a.onState);
  const second = watch(b.onState);
  await Promise.all([a.promise, b.promise]);

  const reasons: string[] = [];
  const after: { stop(): void; done: Promise<void> }[] = [];
  let thirdConnected!: () => void;
  const third = new Promise<void>((resolve) => (thirdConnected = resolve));
  const refusedOnce = new Promise<void>((resolve) => {
    const watcher = watch((state) => {
      if (state.status === "reconnecting") {
        reasons.push(state.reason);
        resolve();
      }
      if (state.status === "connected") thirdConnected();
    });
    after.push(watcher);
  });
  await refusedOnce;
  expect(reasons[0]).toBe(
    `http://127.0.0.1:${address!.port} ended the stream: too many consoles: this server allows 2 open WatchUpdates streams at once (set maxStreams or INSIGHT_MAX_STREAMS on the target to allow more)`,
  );
  first.stop();
  await first.done;
  await third;
  for (const w of [second, ...after]) {
    w.stop();
    await w.done;
  }
});
