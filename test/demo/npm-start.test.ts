/**
 * `npm start` is the first thing a new user runs. Without a terminal it must
 * still tell the whole story: the endpoint hangs, and the console names the
 * blocked task, the channel, the await site and the deadlock with its docs.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { expect, it } from "vitest";

const repoRoot = new URL("../../", import.meta.url).pathname;

function runStart(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(repoRoot, "scripts", "start.mjs"), "--no-web", "--no-build"], {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("exit", (code) => resolve({ code, output }));
  });
}

it("runs the story service, shows its hang, and reports the deadlock", async () => {
  const { code, output } = await runStart();
  expect(output).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/process/);
  expect(output).toContain("no answer after 1.5s");
  expect(output).toContain("process-jobs");
  expect(output).toContain("prototype_channel");
  expect(output).toContain("waiting on channel capacity");
  expect(output).toMatch(/server\.mjs:\d+/);
  expect(output).toContain("docs/problems/deadlock-cycle.md");
  expect(code).toBe(0);
}, 120_000);
