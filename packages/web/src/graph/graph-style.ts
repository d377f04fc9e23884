/**
 * How the dependency graph looks: tasks as ellipses and resources as boxes,
 * as in the DOT export; state by fill colour; deadlock cycles in red. Labels
 * are drawn on the canvas by cytoscape, never as HTML.
 */
import type cytoscape from "cytoscape";

export const CYCLE_RED = "#d11a2a";

export const GRAPH_STYLE: cytoscape.StylesheetJson = [
  {
    selector: "node",
    style: {
      label: "data(label)",
      "font-size": 11,
      "font-family": "system-ui, sans-serif",
      "text-valign": "center",
      "text-halign": "center",
      "text-wrap": "wrap",
      "text-max-width": "140px",
      width: "label",
      height: "label",
      padding: "10px",
      "border-width": 1.5,
      "border-color": "#5b6770",
      color: "#1c2327",
    },
  },
  { selector: "node[kind = 'task']", style: { shape: "ellipse", "background-color": "#e6ecf0" } },
  { selector: "node[kind = 'resource']", style: { shape: "round-rectangle", "background-color": "#fff7e0", "border-color": "#a27b18" } },
  { selector: "node[state = 'running']", style: { "background-color": "#c9f0d0" } },
  { selector: "node[state = 'scheduled']", style: { "background-color": "#fff1a8" } },
  { selector: "node[state = 'blocked']", style: { "background-color": "#e2e4e8" } },
  { selector: "node[?cluster]", style: { "border-style": "double", "border-width": 4 } },
  { selector: "node[?inCycle]", style: { "border-color": CYCLE_RED, "border-width": 3, color: CYCLE_RED, "background-color": "#fde4e6" } },
  { selector: "node:selected", style: { "overlay-color": "#2f6fde", "overlay-opacity": 0.18, "overlay-padding": 6 } },
  {
    selector: "edge",
    style: {
      width: 1.5,
      "curve-style": "bezier",
      "target-arrow-shape": "triangle",
      "line-color": "#7d8a93",
      "target-arrow-color": "#7d8a93",
      label: "data(label)",
      "font-size": 10,
      "text-rotation": "autorotate",
      "text-background-color": "#ffffff",
      "text-background-opacity": 0.85,
      "text-background-padding": "2px",
      color: "#3c474e",
    },
  },
  { selector: "edge[?inferred]", style: { "line-style": "dashed" } },
  { selector: "edge[?inCycle]", style: { width: 2.5, "line-color": CYCLE_RED, "target-arrow-color": CYCLE_RED, color: CYCLE_RED } },
];
