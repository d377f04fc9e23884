/**
 * The web console against a console server whose every name is markup: no
 * script may run anywhere on the page, every string shows as text, and the
 * deadlock between the two tasks is drawn in red and clickable.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { startInstrumentServer, type RunningInstrumentServer } from "@async-insight/protocol/server";
import { scriptedSource } from "../support/scripted-source.js";
import { haveChromium, launchChromium, screenshot, watchForScripts } from "./browser.js";
import { HOSTILE, hostileUpdates } from "./hostile-fixture.js";
import { clickGraphNode, cycleColours, CYCLE_RED_RGB, openView } from "./page-driver.js";
import { startWebConsole } from "./web-console.js";
import type { RunningWebConsole } from "../../packages/consolation/src/web/web-command.js";

let target: RunningInstrumentServer;
let web: RunningWebConsole;
let browser: Browser;
let page: Page;
let seen: ReturnType<typeof watchForScripts>;

describe.skipIf(!haveChromium)("web console with hostile names", () => {
  beforeAll(async () => {
    target = await startInstrumentServer(scriptedSource({ updates: hostileUpdates() }), { host: "127.0.0.1", port: 0 });
    web = await startWebConsole(`http://127.0.0.1:${target.address.port}`);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
    seen = watchForScripts(page);
  });

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await target?.close();
  });

  it("shows task names as text in the table and runs no script", async () => {
    await openView(page, web.url, "tasks");
    const row = page.locator("tr[data-task-key='1']");
    await row.waitFor();
    expect(await row.locator("td.name").textContent()).toBe(HOSTILE.taskA);
    expect(await page.locator("tr[data-task-key='2'] td.name").textContent()).toBe(HOSTILE.taskB);
    await row.click();
    await page.locator(".task-detail[data-task-key='1'] .await-source").waitFor();
    expect(await page.locator(".task-detail .await-source").textContent()).toBe(HOSTILE.awaitLine);
    expect(await page.locator(".task-detail .resource-link").textContent()).toBe(HOSTILE.mutexA);
    expect(await page.locator(".task-detail .facts").first().textContent()).toContain("app/<script>.mjs:10:3");
    await screenshot(page, "hostile-tasks");
  });

  it("draws the deadlock cycle in red and opens a task from the graph", async () => {
    await openView(page, web.url, "graph");
    await page.locator("#graph-canvas[data-cycle-nodes='4']").waitFor();
    const colours = await cycleColours(page);
    expect(Object.keys(colours.nodes).sort()).toEqual([`task 1 ${HOSTILE.taskA}`, `task 2 ${HOSTILE.taskB}`, HOSTILE.mutexA, HOSTILE.mutexB].sort());
    for (const colour of Object.values(colours.nodes)) expect(colour).toBe(CYCLE_RED_RGB);
    expect(colours.edges).toHaveLength(4);
    for (const colour of colours.edges) expect(colour).toBe(CYCLE_RED_RGB);
    await clickGraphNode(page, "t:2");
    await page.locator(".task-detail[data-task-key='2']").waitFor();
    expect(await page.locator(".task-detail h2 .name").textContent()).toBe(HOSTILE.taskB);
    expect(await page.locator(".task-detail .await-site").textContent()).toContain("app/worker.mjs:22:9");
    await screenshot(page, "hostile-graph");
  });

  it("shows both tasks blocked on the timeline, the resource's freers, and the problem", async () => {
    await openView(page, web.url, "timeline");
    await page.locator(".lane[data-task-key='1']").waitFor();
    expect(await page.locator(".lane[data-task-key='1']").getAttribute("data-state")).toBe("blocked");
    expect(await page.locator(".lane[data-task-key='1'] .lane-label").textContent()).toContain(HOSTILE.taskA.slice(0, 20));
    await screenshot(page, "hostile-timeline");

    await openView(page, web.url, "resources");
    await page.locator("table.resources td.name", { hasText: HOSTILE.mutexB }).click();
    await page.locator(".resource-detail .freers li").waitFor();
    expect(await page.locator(".resource-detail .freers li").textContent()).toContain(HOSTILE.taskA);

    await openView(page, web.url, "problems");
    await page.locator(".problem[data-lint='deadlock-cycle']").waitFor();
    expect(await page.locator(".problem[data-lint='deadlock-cycle'] .problem-title").textContent()).toContain(HOSTILE.taskA);
    await page.locator(".problem[data-lint='deadlock-cycle'] .problem-title").click();
    await page.locator(".docs-page .markdown h3").first().waitFor();
    await screenshot(page, "hostile-problems");
  });

  it("never let markup become elements or run", async () => {
    expect(await page.locator("img[src='x'], script:not([src]), iframe, svg[onload], b[onmouseover]").count()).toBe(0);
    expect(seen.dialogs).toEqual([]);
    expect(seen.errors).toEqual([]);
    expect(seen.cspViolations).toEqual([]);
  });

  it("escapes the names in the DOT, Mermaid and Perfetto downloads", async () => {
    const dot = await (await fetch(`${web.url}api/export/dot`)).text();
    expect(dot).toContain(`[label="\\"><script>alert(2)</script>", shape=ellipse]`);
    expect(dot).toContain(`[label="waiting for lock held by task 1"]`);
    const mermaid = await (await fetch(`${web.url}api/export/mermaid`)).text();
    expect(mermaid).toContain('"#quot;#gt;#lt;script#gt;alert(2)#lt;/script#gt;"');
    expect(mermaid).not.toContain("<");
    const trace = JSON.parse(await (await fetch(`${web.url}api/export/perfetto`)).text()) as { traceEvents: Array<{ ph: string; args?: { name?: string } }> };
    expect(trace.traceEvents.filter((e) => e.ph === "M").map((e) => e.args?.name)).toEqual(
      expect.arrayContaining([`${HOSTILE.taskA} (1)`, `${HOSTILE.taskB} (2)`]),
    );
  });
});
