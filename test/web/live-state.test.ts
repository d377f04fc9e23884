/**
 * The page's live state: pause and resume reach the target and show, dropped
 * events show, and the page reconnects by itself when `consolation web`
 * restarts on the same port.
 */
import { create } from "@bufbuild/protobuf";
import { nanosToTimestamp, UpdateSchema } from "@async-insight/protocol";
import { startInstrumentServer, type RunningInstrumentServer } from "@async-insight/protocol/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { startLiveWebConsole, type RunningWebConsole } from "../../packages/consolation/src/web/web-command.js";
import { freePort } from "../support/free-port.js";
import { scriptedSource, type ScriptedSource } from "../support/scripted-source.js";
import { ensureWebBuilt, haveChromium, launchChromium, screenshot } from "./browser.js";
import { hostileUpdates } from "./hostile-fixture.js";

let source: ScriptedSource;
let target: RunningInstrumentServer;
let web: RunningWebConsole | undefined;
let port = 0;
let browser: Browser;
let page: Page;

const start = () => startLiveWebConsole(new URL(`http://127.0.0.1:${target.address.port}`), { host: "127.0.0.1", port });

describe.skipIf(!haveChromium)("web console live state", () => {
  beforeAll(async () => {
    const lossy = create(UpdateSchema, {
      now: nanosToTimestamp(BigInt(Date.now()) * 1_000_000n),
      taskUpdate: { droppedEvents: 3n },
      asyncOpUpdate: { droppedEvents: 2n },
    });
    source = scriptedSource({ updates: [...hostileUpdates(), lossy] });
    target = await startInstrumentServer(source, { host: "127.0.0.1", port: 0 });
    port = await freePort();
    ensureWebBuilt();
    web = await start();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1500, height: 700 } });
    await page.goto(web.url);
  });

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await target?.close();
  });

  it("shows the connection, live state and dropped events", async () => {
    await page.locator("#stream-status[data-status='open']").waitFor();
    await page.locator("#target-status[data-status='connected']").waitFor();
    await page.locator("#temporality[data-temporality='live']").waitFor();
    await page.locator("#dropped").waitFor();
    expect(await page.locator("#dropped").textContent()).toContain("3 tasks, 0 resources, 2 async ops");
  });

  it("pauses and resumes the target from the button", async () => {
    await page.click("#pause-button");
    await page.locator("#temporality[data-temporality='paused']").waitFor();
    expect(source.paused).toBe(true);
    await screenshot(page, "live-paused");
    await page.click("#pause-button");
    await page.locator("#temporality[data-temporality='live']").waitFor();
    expect(source.paused).toBe(false);
  });

  it("reconnects when the web console restarts", async () => {
    await web!.stop();
    await page.locator("#stream-status:not([data-status='open'])").waitFor();
    web = await start();
    await page.locator("#stream-status[data-status='open']").waitFor({ timeout: 15_000 });
    await page.locator("#target-status[data-status='connected']").waitFor();
  });
});
