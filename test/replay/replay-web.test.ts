/**
 * `consolation replay FILE --web` on a recording of the Rust deadlock app,
 * in Debian's chromium: the page opens on the end state with playback
 * controls; the slider back to the start shows the first update (no
 * deadlock yet), start and a step go before it and back, and playing to the end
 * shows the deadlock.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { CONSOLATION_BIN } from "../cli/run-cli.js";
import { startPeer, type Peer } from "../support/rust-peers.js";
import { ensureWebBuilt, haveChromium, launchChromium, screenshot, watchForScripts } from "../web/browser.js";
import { haveDeadlockApp, recordDeadlockApp } from "./deadlock-recording.js";

const TASKS = ["transfer-ledger-then-audit", "audit-audit-then-ledger"];

describe.skipIf(!haveChromium || !haveDeadlockApp)("replay --web on a recording of the Rust deadlock app", () => {
  let dir: string;
  let server: Peer | undefined;
  let url = "";
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    ensureWebBuilt();
    dir = mkdtempSync(join(tmpdir(), "insight-replay-web-"));
    const file = await recordDeadlockApp(dir);
    server = startPeer(process.execPath, [CONSOLATION_BIN, "replay", file, "--web", "--port", "0"]);
    url = (await server.waitForOutput(/serving (http:\/\/127\.0\.0\.1:\d+\/)/))[1]!;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  });

  afterAll(async () => {
    await browser?.close();
    server?.signal("SIGINT");
    await server?.exited;
    rmSync(dir, { recursive: true, force: true });
  });

  const controls = () => page.locator("section.replay-controls");
  const frameIs = (n: number) => page.locator(`section.replay-controls[data-frame='${n}']`).waitFor({ timeout: 15_000 });

  it("opens on the deadlock, seeks to the start and steps, then plays to the deadlock again", async () => {
    const seen = watchForScripts(page);
    await page.goto(url);
    await controls().waitFor({ timeout: 15_000 });
    const alert = page.locator(".alert[role=alert]");
    await alert.waitFor({ timeout: 15_000 });
    expect(await alert.textContent()).toMatch(/transfer-ledger-then-audit.*audit-audit-then-ledger.* wait on each other/);
    const frames = Number(/update \d+\/(\d+)/.exec((await page.locator("#replay-frame").textContent()) ?? "")?.[1]);
    expect(frames).toBeGreaterThan(2);
    await frameIs(frames);
    expect(await page.locator("#replay-play").textContent()).toBe("play again");
    expect(await page.locator("#replay-time").textContent()).toMatch(/^(\d+\.\d)s \/ \1s$/);
    for (const id of ["replay-start", "replay-back", "replay-step", "replay-forward", "replay-end", "replay-slower", "replay-faster"]) {
      expect(await page.locator(`#${id}`).isVisible(), id).toBe(true);
    }
    await screenshot(page, "replay-end");

    // The slider to zero: the first update only, taken before the app springs its deadlock.
    await page.locator("#replay-seek").fill("0");
    await frameIs(1);
    await alert.waitFor({ state: "detached", timeout: 15_000 });
    await page.locator("table").getByText(TASKS[0]!).first().waitFor({ timeout: 15_000 });
    expect(await page.locator("#replay-time").textContent()).toMatch(/^0\.0s \//);
    await screenshot(page, "replay-first-update");

    // start goes before the first update, where nothing is known yet; a step brings the first one back.
    await page.click("#replay-start");
    await frameIs(0);
    await page.waitForFunction(() => document.getElementById("tab-tasks")?.textContent === "tasks (0)", undefined, { timeout: 15_000 });
    await page.click("#replay-step");
    await frameIs(1);
    await page.locator("table").getByText(TASKS[0]!).first().waitFor({ timeout: 15_000 });
    expect(await alert.count()).toBe(0);

    await page.click("#replay-faster");
    await page.waitForFunction(() => document.getElementById("replay-speed")?.textContent === "2.0×", undefined, { timeout: 15_000 });
    await page.click("#replay-play");
    await frameIs(frames);
    await page.locator("section.replay-controls[data-playing='false']").waitFor({ timeout: 15_000 });
    await alert.waitFor({ timeout: 15_000 });
    expect(await alert.textContent()).toMatch(/transfer-ledger-then-audit.*audit-audit-then-ledger.* wait on each other/);
    await page.click("#tab-problems");
    for (const t of TASKS) await page.getByText(t).first().waitFor({ timeout: 15_000 });
    await screenshot(page, "replay-played");
    expect(seen.errors).toEqual([]);
    expect(seen.cspViolations).toEqual([]);
  });

  it("accepts playback commands only from its own page", async () => {
    const post = (headers: Record<string, string>, body: string) => fetch(`${url}api/replay`, { method: "POST", headers, body });
    expect((await post({ "Content-Type": "application/json" }, '{"action":"start"}')).status).toBe(403);
    expect((await post({ "X-Insight-Command": "1", "Content-Type": "application/json", Origin: "http://evil.example" }, '{"action":"start"}')).status).toBe(
      403,
    );
    expect((await post({ "X-Insight-Command": "1", "Content-Type": "text/plain" }, '{"action":"start"}')).status).toBe(415);
    expect((await post({ "X-Insight-Command": "1", "Content-Type": "application/json" }, '{"action":"rm -rf"}')).status).toBe(400);
    const ok = await post({ "X-Insight-Command": "1", "Content-Type": "application/json" }, '{"action":"end"}');
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(await ok.json()).toMatchObject({ playing: false });
  });
});
