/**
 * The timeline draws an arrow from the waker's lane to the wakee's when the
 * target says who woke whom (insight's `insight.woken_by`), and zooms.
 */
import { create } from "@bufbuild/protobuf";
import { nanosToTimestamp, UpdateSchema } from "@async-insight/protocol";
import { startInstrumentServer, type RunningInstrumentServer } from "@async-insight/protocol/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import type { RunningWebConsole } from "../../packages/consolation/src/web/web-command.js";
import { scriptedSource } from "../support/scripted-source.js";
import { haveChromium, launchChromium, screenshot } from "./browser.js";
import { openView } from "./page-driver.js";
import { startWebConsole } from "./web-console.js";

const str = (name: string, value: string) => ({ name: { case: "strName" as const, value: name }, value: { case: "strVal" as const, value } });
const u64 = (name: string, value: bigint) => ({ name: { case: "strName" as const, value: name }, value: { case: "u64Val" as const, value } });

/** A producer (task.id 1) sends; the consumer (task.id 2) was waiting to receive and is woken by it. */
function wakeUpdates() {
  const start = BigInt(Date.now()) * 1_000_000n - 3_000_000_000n;
  const at = (ms: number) => nanosToTimestamp(start + BigInt(ms) * 1_000_000n);
  const tasks = {
    newTasks: [
      { id: { id: 1n }, fields: [str("task.name", "producer"), u64("task.id", 1n)] },
      { id: { id: 2n }, fields: [str("task.name", "consumer"), u64("task.id", 2n)] },
    ],
    statsUpdate: { "1": { createdAt: at(0) }, "2": { createdAt: at(0) } },
  };
  const first = create(UpdateSchema, { now: at(100), taskUpdate: tasks });
  const second = create(UpdateSchema, {
    now: at(1000),
    asyncOpUpdate: {
      newAsyncOps: [{ id: { id: 50n }, source: "Channel::recv" }],
      statsUpdate: { "50": { createdAt: at(200), droppedAt: at(600), taskId: { id: 2n }, attributes: [{ field: str("insight.woken_by", "1") }] } },
    },
    taskUpdate: {
      statsUpdate: {
        "1": { createdAt: at(0), pollStats: { polls: 1n, lastPollStarted: at(400), lastPollEnded: at(650), busyTime: { nanos: 250_000_000 } } },
        "2": {
          createdAt: at(0),
          lastWake: at(600),
          wakes: 1n,
          pollStats: { polls: 1n, lastPollStarted: at(700), lastPollEnded: at(720), busyTime: { nanos: 20_000_000 } },
        },
      },
    },
  });
  return [first, second];
}

let target: RunningInstrumentServer;
let web: RunningWebConsole;
let browser: Browser;
let page: Page;

describe.skipIf(!haveChromium)("timeline wakes", () => {
  beforeAll(async () => {
    target = await startInstrumentServer(scriptedSource({ updates: wakeUpdates() }), { host: "127.0.0.1", port: 0 });
    web = await startWebConsole(`http://127.0.0.1:${target.address.port}`);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1500, height: 500 } });
  });

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await target?.close();
  });

  it("draws the wake from producer to consumer, and busy runs, and zooms", async () => {
    await openView(page, web.url, "timeline");
    // A vertical line has no width, which playwright counts as hidden; it only needs to exist.
    await page.locator("svg.timeline line.wake").waitFor({ state: "attached" });
    expect(await page.locator("svg.timeline line.wake").count()).toBe(1);
    expect(await page.locator(".lane[data-task-key='1'] rect[data-state='busy']").count()).toBeGreaterThan(0);
    expect(await page.locator(".lane[data-task-key='2'] rect[data-state='scheduled']").count()).toBeGreaterThan(0);
    const before = await page.locator(".timeline-pane .toolbar .muted").textContent();
    await page.getByRole("button", { name: "zoom in" }).click();
    expect(await page.locator(".timeline-pane .toolbar .muted").textContent()).not.toBe(before);
    await screenshot(page, "timeline-wakes");
  });
});
