/**
 * `node --import async-insight/register` starts the main task before the
 * app's modules load. On Node 20, 22 and 24 alike, the main module's code
 * must then run in the main task (Node 24's AsyncContextFrame storage does
 * not carry init()'s enterWith into it), and Node's loader working in the
 * main task must not use up the await tracker's budget before the app's
 * first awaits (await-loading.ts): both tasks' awaits are noted, with the
 * promise's making in the main module.
 *
 * Runs the built dist (like register.test.ts): `npx tsc -b` first.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { node22Bin, node24Bin } from "../../../scripts/lib/paths.mjs";

const FIXTURE = fileURLToPath(new URL("../test-fixtures/register-main.mjs", import.meta.url));
const fixtureLines = readFileSync(FIXTURE, "utf8").split("\n");

/** 1-based line and column of the only line holding `marker`, at `text` in it. */
function at(marker: string, text: string): string {
  const found = fixtureLines.flatMap((line, i) => (line.includes(marker) ? [i + 1] : []));
  expect(found, marker).toHaveLength(1);
  return `${found[0]}:${fixtureLines[found[0]! - 1]!.indexOf(text) + 1}`;
}

function exitReportOf(node: string): Promise<string> {
  return new Promise((resolve) => {
    execFile(
      node,
      ["--import", "async-insight/register", FIXTURE],
      {
        cwd: fileURLToPath(new URL("../test-fixtures/", import.meta.url)),
        // Awaits are noted from the start (not only once a console looks); the report says what was noted.
        env: {
          ...process.env,
          INSIGHT_AWAITS: "always",
          INSIGHT_EXIT_REPORT: "1",
          INSIGHT_BIND: "127.0.0.1:0",
          INSIGHT_PORT: "",
          INSIGHT_DISCOVERY: "off",
          NODE_DEBUG: "",
        },
        timeout: 30_000,
      },
      (_error, _stdout, stderr) => resolve(stderr),
    );
  });
}

// npm test runs this package again on Node 22 and 24; run alone on the system Node, it starts all three.
const NODES: ReadonlyArray<readonly [string, string]> =
  process.execPath === node22Bin || process.execPath === node24Bin
    ? [[process.version, process.execPath]]
    : [
        [process.version, process.execPath],
        ["22", node22Bin],
        ["24", node24Bin],
      ];

describe.each(NODES)("node --import async-insight/register on Node %s", (_label, node) => {
  it("notes the main module's top-level await and a spawned task's, after the loader's promises", async () => {
    const report = await exitReportOf(node);
    const made = `waiting for a promise created at register-main.mjs:${at("// made: never", "new Promise")} (Promise)`;
    const waits = report.split("\n").filter((line) => line.startsWith("    waiting"));
    expect(waits).toEqual([
      `    waiting: ${made} at ${FIXTURE}:${at("// await: main", "await")}: await never; // await: main`,
      `    waiting: ${made} at ${FIXTURE}:${at("// await: sleeper", "await")}: await never; // await: sleeper`,
    ]);
    expect(report).toContain(`task 1 "register-main.mjs" (main, `);
    expect(report).toContain(`task 2 "sleeper" (task, spawned at ${FIXTURE}:${at('spawn("sleeper"', "spawn")})`);
  }, 60_000);
});
