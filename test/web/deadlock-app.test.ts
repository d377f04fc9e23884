/**
 * Acceptance: `consolation web` against the Rust mutex-deadlock app, through
 * the built CLI as a user runs it. Two tasks take two tokio mutexes in
 * opposite order; the page must show the cycle in red, the task's await
 * site, and the task blocked on its timeline.
 */
import type { ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { freePort } from "../support/free-port.js";
import { rustBin, startPeer, type Peer } from "../support/rust-peers.js";
import { haveChromium, launchChromium } from "./browser.js";
import { startWebCli } from "./cli-process.js";
import { walkDeadlock } from "./deadlock-acceptance.js";

const haveApp = existsSync(rustBin("deadlock-app"));

let app: Peer | undefined;
let web: ChildProcess | undefined;
let url = "";
let browser: Browser;
let page: Page;

describe.skipIf(!haveChromium || !haveApp)("web console on the Rust deadlock app", () => {
  beforeAll(async () => {
    const port = await freePort();
    app = startPeer(rustBin("deadlock-app"), [], { TOKIO_CONSOLE_BIND: `127.0.0.1:${port}`, DEADLOCK_DELAY_MS: "1000" });
    await app.waitForPort(port);
    ({ child: web, url } = await startWebCli([`http://127.0.0.1:${port}`]));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
  });

  afterAll(async () => {
    await browser?.close();
    web?.kill("SIGINT");
    await app?.stop();
  });

  it("prints a loopback URL", () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it("shows the lock-order cycle in red, the await site, and the blocked task", async () => {
    await walkDeadlock(page, url, {
      tasks: ["transfer-ledger-then-audit", "audit-audit-then-ledger"],
      resources: ["Mutex"],
      awaitSite: /main\.rs:\d+/,
      histograms: true,
      shots: "rust-deadlock",
    });
  });
});
