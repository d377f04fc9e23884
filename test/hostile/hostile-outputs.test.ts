/**
 * Every output over the hostile corpus: task and resource names, fields,
 * locations, reasons and trace lines full of terminal escapes, C1 and bidi
 * controls, markup and a 1 MB name. Each output must contain no raw control
 * byte, keep its lines within a width bound, stay small, and (SVG) be
 * well-formed XML. The CLI cases run the built binary (`npx tsc -b` first).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FULL_TEXT_LIMIT, RuntimeStore, toDot, toMermaid, wholeGraphView } from "@async-insight/engine";
import { startInstrumentServer, type RunningInstrumentServer } from "@async-insight/protocol/server";
import { runCli } from "../cli/run-cli.js";
import { scriptedSource } from "../support/scripted-source.js";
import { createEngineViewStore } from "../../packages/consolation/src/tui/state/from-engine.js";
import { initialUiState, type Screen, type UiState } from "../../packages/consolation/src/tui/state/ui-state.js";
import { ScreenWriter } from "../../packages/consolation/src/tui/term/screen-writer.js";
import { visibleWidth } from "../../packages/consolation/src/tui/term/ansi.js";
import { renderFrame } from "../../packages/consolation/src/tui/view/frame.js";
import { snapshotEvent } from "../../packages/consolation/src/web/sse-clients.js";
import { WebFeed } from "../../packages/consolation/src/web/web-feed.js";
import { HOSTILE_NAME_A, hostileCorpusUpdates, hostileTrace } from "./hostile-corpus.js";
import { expectClean, firstRaw } from "./raw-text.js";
import { xmlError } from "./xml-check.js";

/** Every quoted Mermaid label is free of what could end it or be read as markup or markdown. */
function expectMermaidLabelsInert(mermaid: string): void {
  const labels = mermaid.match(/"[^"\n]*"/g) ?? [];
  expect(labels.length).toBeGreaterThan(3);
  for (const label of labels) expect(label, label).not.toMatch(/[<>`]/);
  // Outside the labels only the diagram's own syntax remains.
  expect(mermaid.replace(/"[^"\n]*"/g, "")).toMatch(
    /^(graph TD|flowchart LR)\n( {2}[\w]+(\(\(|\[|\(\[)(\)\)|\]|\]\))\n| {2}\w+ (-- +-->|-\. +\.->|-->\|\|) \w+\n)+$/,
  );
}

const SEED = fileURLToPath(new URL("../../packages/consolation/src/trace-formats/testdata/seed-001-multiline.txt", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "insight-hostile-"));
/** A table line: ten capped columns at most (FIELD_WIDTH 80 each, the last LONG_FIELD_WIDTH 240). */
const TABLE = { maxWidth: 1200, maxBytes: 256 * 1024 };
const REPORT = { maxWidth: 600, maxBytes: 256 * 1024 };
let target: RunningInstrumentServer;
let url: string;

beforeAll(async () => {
  target = await startInstrumentServer(scriptedSource({ updates: hostileCorpusUpdates() }), { host: "127.0.0.1", port: 0 });
  url = `http://127.0.0.1:${target.address.port}`;
});

afterAll(async () => {
  await target?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("hostile names through the live outputs", () => {
  it("dump: escapes shown, columns capped, no 43 MB table", async () => {
    const result = await runCli(["dump", url]);
    expect(result.code, result.stderr).toBe(0);
    expectClean("dump", result.stdout, TABLE);
    expect(result.stdout).toContain("alpha \\x1b]0;pwned-title\\x07 \\x1b[2J\\x1b[H");
    expect(result.stdout).toContain("…");
  });

  it("dump --json keeps the text, bounded per string", async () => {
    const result = await runCli(["dump", url, "--json"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.length).toBeLessThan(200 * 1024);
    const dump = JSON.parse(result.stdout) as { tasks: Array<{ name: string }> };
    const names = dump.tasks.map((t) => t.name);
    expect(names).toContain(HOSTILE_NAME_A);
    const huge = names.find((n) => n.startsWith("\x1b]2;huge"))!;
    expect(huge.length).toBeLessThan(FULL_TEXT_LIMIT + 64);
    expect(huge).toMatch(/… \[\d+ more characters not shown\]$/);
  });

  it("check: the deadlock reported with no raw escapes", async () => {
    const result = await runCli(["check", url, "--for", "2s"]);
    expectClean("check", result.stdout, REPORT);
    expect(result.stdout).toMatch(/^error\[deadlock-cycle\]/m);
    expect(result.stdout).toContain("\\x1b]0;pwned-title\\x07");
    const json = await runCli(["check", url, "--for", "2s", "--json"]);
    expect(json.stdout.length).toBeLessThan(200 * 1024);
    expect(JSON.parse(json.stdout).problems.length).toBeGreaterThan(0);
  });

  it("the plain report: tasks and problems with no raw escapes", async () => {
    const result = await runCli([url, "--plain", "--report-updates", "2"]);
    expect(result.code, result.stderr).toBe(0);
    expectClean("plain report", result.stdout, TABLE);
    expect(result.stdout).toMatch(/Problems \(\d+\)/);
    expect(result.stdout).toContain("alpha \\x1b]0;pwned-title");
  });

  it("record, then replay --report and --plain", async () => {
    const file = join(dir, "hostile.jsonl");
    const recorded = await runCli(["record", url, "--for", "2s", "-o", file]);
    expect(recorded.code, recorded.stderr).toBe(0);
    const report = await runCli(["replay", file, "--report"]);
    expect(report.code, report.stderr).toBe(0);
    expectClean("replay --report", report.stdout, TABLE);
    const plain = await runCli(["replay", file, "--plain"]);
    expect(plain.code, plain.stderr).toBe(0);
    expectClean("replay --plain", plain.stdout, TABLE);
    const check = await runCli(["check", file]);
    expectClean("check FILE", check.stdout, REPORT);
  });
});

describe("hostile names in the terminal UI", () => {
  const at = (...stack: Screen[]): UiState => ({ ...initialUiState(), stack });
  const screens: Array<[string, UiState]> = [
    ["task list", initialUiState()],
    ["task view", at({ kind: "tasks" }, { kind: "task", key: "1", selected: 0 })],
    ["huge task", at({ kind: "tasks" }, { kind: "task", key: "3", selected: 0 })],
    ["resource list", at({ kind: "resources" })],
    ["resource view", at({ kind: "resources" }, { kind: "resource", key: "10", selected: 0 })],
    ["problems", at({ kind: "tasks" }, { kind: "problems", selected: 0, scroll: 0 })],
  ];

  it("writes only its own escapes, every row exactly as wide as the terminal", () => {
    const source = createEngineViewStore();
    for (const u of hostileCorpusUpdates()) source.applyUpdate(u);
    for (const [name, ui] of screens) {
      const size = { columns: 120, rows: 40 };
      const lines = renderFrame({
        data: source.view(),
        ui,
        connection: { target: url, state: { status: "connected", since: 0 }, temporality: "live" },
        size,
        nowMs: 0,
      });
      for (const line of lines) expect(visibleWidth(line), `${name}: ${JSON.stringify(line.slice(0, 80))}`).toBe(size.columns);
      let written = "";
      new ScreenWriter({ write: (text: string) => (written += text) }).draw(lines, size.columns, size.rows);
      // Ours: cursor moves, clear, SGR. Anything else that is a control came from the target.
      const foreign = written.replace(/\x1b\[(?:\d+;\d+H|2J|[0-9;]*m)/g, "");
      expect(firstRaw(foreign), name).toBeUndefined();
      // The corpus's own SGR (`ESC[31m`) would pass the filter above; ours always spells colours 38;5;N.
      expect(written, name).not.toContain("\x1b[31m");
    }
  });
});

describe("hostile names in the web console and the graph exports", () => {
  it("SSE events and details stay bounded with a 1 MB name", () => {
    const feed = new WebFeed({ target: url, controllable: true, minIntervalMs: 0 });
    for (const u of hostileCorpusUpdates()) feed.applyUpdate(u);
    const event = snapshotEvent(feed.snapshot());
    expect(event.length).toBeLessThan(256 * 1024);
    expect(event.split("\n").filter((l) => l.startsWith("data: "))).toHaveLength(1);
    expect(JSON.stringify(feed.taskDetail("3")).length).toBeGreaterThan(FULL_TEXT_LIMIT);
    expectClean("web dot", feed.dot(), REPORT);
    expectClean("web mermaid", feed.mermaid(), REPORT);
  });

  it("DOT and Mermaid: controls escaped, labels capped, quotes closed", () => {
    const store = new RuntimeStore();
    for (const u of hostileCorpusUpdates()) store.applyUpdate(u);
    const view = wholeGraphView(store);
    const dot = toDot(view);
    expectClean("dot", dot, REPORT);
    for (const line of dot.split("\n").slice(2, -2)) expect(line, line).toMatch(/^ {2}"[^"]+"( -> "[^"]+")? \[label="(?:[^"\\]|\\.)*"(, [a-z]+=[a-z]+)*\];$/);
    const mermaid = toMermaid(view);
    expectClean("mermaid", mermaid, REPORT);
    expectMermaidLabelsInert(mermaid);
  });
});

describe("hostile trace files through trace, wakes and timeline", () => {
  const file = join(dir, "hostile-trace.txt");
  beforeAll(() => writeFileSync(file, hostileTrace(readFileSync(SEED, "utf8"))));

  it("trace prints every event with the escapes shown", async () => {
    for (const args of [
      ["trace", file],
      ["trace", file, "--color"],
    ]) {
      const result = await runCli(args);
      expect(result.code, result.stderr).toBe(0);
      const text = args.includes("--color") ? result.stdout.replace(/\x1b\[[0-9;]*m/g, "") : result.stdout;
      expectClean(args.join(" "), text, REPORT);
      expect(text).toContain("receiver \\x1b]0;pwned-title\\x07");
    }
  });

  it("wakes: text, JSON, DOT and Mermaid", async () => {
    const text = await runCli(["wakes", file]);
    expect(text.code, text.stderr).toBe(0);
    expectClean("wakes", text.stdout, REPORT);
    expectClean("wakes --dot", (await runCli(["wakes", file, "--dot"])).stdout, REPORT);
    const mermaid = (await runCli(["wakes", file, "--mermaid"])).stdout;
    expectClean("wakes --mermaid", mermaid, REPORT);
    expectMermaidLabelsInert(mermaid);
    const json = await runCli(["wakes", file, "--json"]);
    expect(json.stdout.length).toBeLessThan(512 * 1024);
    expect(() => JSON.parse(json.stdout)).not.toThrow();
  });

  it("timeline writes well-formed, escaped SVG", async () => {
    const svg = join(dir, "hostile.svg");
    const result = await runCli(["timeline", file, "-o", svg]);
    expect(result.code, result.stderr).toBe(0);
    const text = readFileSync(svg, "utf8");
    expect(xmlError(text)).toBeUndefined();
    expectClean("timeline", text, { maxWidth: 2000, maxBytes: 256 * 1024 });
    expect(text).not.toContain("<svg onload");
  });
});

describe("the XML check itself", () => {
  it("accepts well-formed SVG and names what is wrong otherwise", () => {
    expect(xmlError('<svg a="1"><title>x &amp; y</title><g/></svg>\n')).toBeUndefined();
    expect(xmlError("<svg><title>x & y</title></svg>")).toBe('bad entity at 14: "& y"');
    expect(xmlError("<svg><title>x <b></title></svg>")).toBe("</title> at 17 closes <b>");
    expect(xmlError("<svg><title>\x1b</title></svg>")).toBe("forbidden character U+1b at 12");
    expect(xmlError('<svg a="<"></svg>')).toBe("stray '<' at 0");
  });
});
