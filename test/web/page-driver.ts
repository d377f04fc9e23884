/** What the web e2e suites do to the page, in the words of the acceptance criteria. */
import type { Page } from "playwright-core";

export const CYCLE_RED_RGB = "rgb(209,26,42)";

export async function openView(page: Page, baseUrl: string, view: "tasks" | "graph" | "timeline" | "resources" | "problems"): Promise<void> {
  if (page.url().startsWith(baseUrl)) await page.click(`#tab-${view}`);
  else await page.goto(`${baseUrl}#${view}`);
}

/**
 * The canvas's data attributes are rendered before the effect that hands the
 * elements to cytoscape runs, so wait until cytoscape holds what they promise.
 */
async function graphDrawn(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const el = document.getElementById("graph-canvas") as unknown as (HTMLElement & { cy?: import("cytoscape").Core }) | null;
    return el?.cy !== undefined && el.cy.nodes().length === Number(el.dataset.nodeCount) && el.cy.nodes("[?inCycle]").length === Number(el.dataset.cycleNodes);
  });
}

/** Border colours of the graph's cycle nodes and line colours of its cycle edges, as cytoscape draws them. */
export async function cycleColours(page: Page): Promise<{ nodes: Record<string, string>; edges: string[] }> {
  await graphDrawn(page);
  return page.evaluate(() => {
    const el = document.getElementById("graph-canvas") as unknown as { cy: import("cytoscape").Core };
    const nodes: Record<string, string> = {};
    el.cy.nodes("[?inCycle]").forEach((n) => {
      nodes[n.data("label") as string] = String(n.style("border-color")).replace(/\s/g, "");
    });
    const edges = el.cy.edges("[?inCycle]").map((e) => String(e.style("line-color")).replace(/\s/g, ""));
    return { nodes, edges };
  });
}

/** Clicks a graph node where cytoscape drew it, the way a person would. */
export async function clickGraphNode(page: Page, nodeId: string): Promise<void> {
  await graphDrawn(page);
  const point = await page.evaluate((id) => {
    const el = document.getElementById("graph-canvas") as unknown as HTMLElement & { cy: import("cytoscape").Core };
    const node = el.cy.getElementById(id);
    if (node.empty()) return undefined;
    const p = node.renderedPosition();
    const box = el.getBoundingClientRect();
    return { x: box.left + p.x, y: box.top + p.y };
  }, nodeId);
  if (!point) throw new Error(`no graph node ${nodeId}`);
  await page.mouse.click(point.x, point.y);
}

/** Graph node ids whose label contains `text`. */
export async function graphNodeIds(page: Page, text: string): Promise<string[]> {
  await graphDrawn(page);
  return page.evaluate((needle) => {
    const el = document.getElementById("graph-canvas") as unknown as { cy: import("cytoscape").Core };
    return el.cy
      .nodes()
      .filter((n) => String(n.data("label")).includes(needle))
      .map((n) => n.id());
  }, text);
}
