/**
 * The acceptance walk shared by the Rust and Node deadlock apps: the graph
 * shows the cycle in red, clicking a task in it opens its details with the
 * await site, and the timeline shows that task blocked. Screenshots of each
 * step land in artifacts/web/.
 */
import { expect } from "vitest";
import type { Page } from "playwright-core";
import { screenshot } from "./browser.js";
import { clickGraphNode, cycleColours, CYCLE_RED_RGB, graphNodeIds, openView } from "./page-driver.js";

export interface CycleExpectation {
  /** Names of the tasks in the cycle, as the target reports them. */
  readonly tasks: readonly string[];
  /** Text the resources in the cycle show (a name, or a type). */
  readonly resources: readonly string[];
  /** What the await site of the first task must contain. */
  readonly awaitSite: RegExp;
  /** Prefix for screenshot names. */
  readonly shots: string;
  /** Whether the target sends poll-time histograms (console-subscriber does). */
  readonly histograms?: boolean;
  /** How long the target may take to deadlock and the engine to confirm it. */
  readonly timeoutMs?: number;
}

export async function walkDeadlock(page: Page, baseUrl: string, expectation: CycleExpectation): Promise<void> {
  const timeout = expectation.timeoutMs ?? 30_000;
  await openView(page, baseUrl, "graph");
  await page.waitForFunction(
    (count) => Number(document.getElementById("graph-canvas")?.getAttribute("data-cycle-nodes") ?? 0) >= count,
    expectation.tasks.length + expectation.resources.length,
    { timeout },
  );
  const colours = await cycleColours(page);
  const labels = Object.keys(colours.nodes);
  for (const name of [...expectation.tasks, ...expectation.resources])
    expect(
      labels.some((l) => l.includes(name)),
      `${name} in ${labels.join(" | ")}`,
    ).toBe(true);
  for (const colour of [...Object.values(colours.nodes), ...colours.edges]) expect(colour).toBe(CYCLE_RED_RGB);
  expect(colours.edges.length).toBeGreaterThanOrEqual(2);
  await screenshot(page, `${expectation.shots}-graph`);

  const first = expectation.tasks[0]!;
  const [nodeId] = await graphNodeIds(page, first);
  expect(nodeId, `a graph node for ${first}`).toBeDefined();
  await clickGraphNode(page, nodeId!);
  const taskKey = nodeId!.slice(2);
  await page.locator(`.task-detail[data-task-key='${taskKey}'] .await-site`).first().waitFor({ timeout });
  expect(await page.locator(".task-detail h2 .name").textContent()).toBe(first);
  const sites = await page.locator(".task-detail .await-site").allTextContents();
  expect(
    sites.some((s) => expectation.awaitSite.test(s)),
    sites.join(" | "),
  ).toBe(true);
  if (expectation.histograms) {
    await page.locator(".task-detail .histogram figcaption").first().waitFor({ timeout });
    expect(await page.locator(".task-detail .histogram figcaption").first().textContent()).toMatch(/^poll times: \d+ samples/);
  }
  await screenshot(page, `${expectation.shots}-task`);

  await openView(page, baseUrl, "timeline");
  const lane = page.locator(`.lane[data-task-key='${taskKey}']`);
  await lane.waitFor({ timeout });
  expect(await lane.getAttribute("data-state")).toBe("blocked");
  // The lane ends in a long idle run: the task has not been polled since it blocked.
  const last = lane.locator("rect[data-state]").last();
  expect(await last.getAttribute("data-state")).toBe("idle");
  expect(await last.getAttribute("data-blocked")).toBe("true");
  await screenshot(page, `${expectation.shots}-timeline`);

  await openView(page, baseUrl, "problems");
  await page.locator(".problem.severity-error").first().waitFor({ timeout });
  await screenshot(page, `${expectation.shots}-problems`);

  await openView(page, baseUrl, "tasks");
  await page.locator(`tr[data-task-key='${taskKey}'].selected`).waitFor({ timeout });
  expect(await page.locator(`tr[data-task-key='${taskKey}'] .state`).textContent()).toBe("blocked");
  await screenshot(page, `${expectation.shots}-tasks`);
}
