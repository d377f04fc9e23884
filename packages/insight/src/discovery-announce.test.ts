/**
 * A started console server announces itself: a file in the discovery
 * directory (removed at shutdown) and one message on LISTENING_CHANNEL,
 * never a warning.
 */
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import * as insight from "./index.js";

const dir = mkdtempSync(join(tmpdir(), "insight-announce-test-"));
const before = process.env.INSIGHT_DISCOVERY_DIR;

afterAll(async () => {
  await insight.shutdown();
  if (before === undefined) delete process.env.INSIGHT_DISCOVERY_DIR;
  else process.env.INSIGHT_DISCOVERY_DIR = before;
  rmSync(dir, { recursive: true, force: true });
});

it("writes the server's entry and publishes its address, then removes the entry at shutdown", async () => {
  process.env.INSIGHT_DISCOVERY_DIR = dir;
  const heard: unknown[] = [];
  const warnings: Error[] = [];
  const onWarning = (w: Error) => warnings.push(w);
  const onListening = (message: unknown) => heard.push(message);
  process.on("warning", onWarning);
  subscribe(insight.LISTENING_CHANNEL, onListening);
  try {
    const address = await insight.init({ listenPort: 0 }).ready;
    expect(address?.port).toBeGreaterThan(0);
    expect(heard).toEqual([
      {
        code: "INSIGHT_LISTENING",
        message: `insight: the console server of process ${process.pid} listens on 127.0.0.1:${address!.port}`,
        host: "127.0.0.1",
        port: address!.port,
        pid: process.pid,
        threadId: 0,
        kind: "process",
      },
    ]);
    const file = join(dir, `${process.pid}.json`);
    const entry = JSON.parse(readFileSync(file, "utf8")) as { port: number; kind: string; token: boolean };
    expect([entry.port, entry.kind, entry.token]).toEqual([address!.port, "process", false]);
    await insight.shutdown();
    expect(existsSync(file)).toBe(false);
    expect(warnings).toEqual([]);
  } finally {
    process.off("warning", onWarning);
    unsubscribe(insight.LISTENING_CHANNEL, onListening);
  }
});

it("writes nothing with discovery off", async () => {
  process.env.INSIGHT_DISCOVERY_DIR = join(dir, "off");
  const address = await insight.init({ listenPort: 0, discovery: false }).ready;
  expect(address?.port).toBeGreaterThan(0);
  expect(existsSync(join(dir, "off"))).toBe(false);
  await insight.shutdown();
});
