/** INSIGHT_EXIT_REPORT=1 in a real process that ends with a task stuck on its own channel. */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const SCRIPT = fileURLToPath(new URL("../../../examples/node/exit-report/self-deadlock.mjs", import.meta.url));

function run(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [SCRIPT], { env: { ...process.env, ...env }, timeout: 20_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr });
    });
  });
}

it("prints pending tasks and their waits at exit, only when asked", async () => {
  const quiet = await run({ INSIGHT_EXIT_REPORT: "" });
  expect(quiet.stderr).toBe("");
  expect(quiet.stdout).toBe("");

  const { stderr } = await run({ INSIGHT_EXIT_REPORT: "1" });
  expect(stderr).toContain("insight: 1 task still pending at exit");
  expect(stderr).toContain('"enqueue-then-drain"');
  expect(stderr).toContain("send: waiting on channel capacity (Channel work_queue)");
  const line =
    readFileSync(SCRIPT, "utf8")
      .split("\n")
      .findIndex((l) => l.includes('queue.send("second")')) + 1;
  expect(stderr).toContain(`${SCRIPT}:${line}:`);
  expect(stderr).toContain('await queue.send("second");');
});

it("makes what it prints safe: a task or a resource named from outside cannot write escapes to stderr", async () => {
  const script = [
    'import * as insight from "async-insight";',
    'import { Channel } from "async-insight/sync";',
    "insight.init({ listenPort: 0 });",
    'insight.spawn("evil\\u001b[2J\\u001b]0;x\\u0007", async () => {',
    '  const queue = new Channel(1, { name: "queue\\u001b[31m" });',
    "  await queue.send(1);",
    "  await queue.send(2);",
    "});",
  ].join("\n");
  const stderr = await new Promise<string>((resolve) => {
    execFile(
      process.execPath,
      ["--input-type=module", "-e", script],
      { cwd: fileURLToPath(new URL("..", import.meta.url)), env: { ...process.env, INSIGHT_EXIT_REPORT: "1" }, timeout: 20_000 },
      (_error, _stdout, err) => resolve(err),
    );
  });
  expect(stderr).toContain('"evil\\x1b[2J\\x1b]0;x\\x07"');
  expect(stderr).toContain("(Channel queue\\x1b[31m)");
  expect(stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
});
