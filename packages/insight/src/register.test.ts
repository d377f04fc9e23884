/** `node --import async-insight/register`: insight starts from the environment and never keeps the process alive. */
import { execFile } from "node:child_process";
import { expect, it } from "vitest";

it("starts the console server from the environment and lets the process exit", async () => {
  const { code, stderr, stdout } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ["--import", "async-insight/register", "--input-type=module", "-e", "await new Promise((r) => setTimeout(r, 200)); console.log('app done')"],
      { env: { ...process.env, INSIGHT_BIND: "127.0.0.1:0", INSIGHT_PORT: "", NODE_DEBUG: "insight" }, timeout: 20_000 },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr }),
    );
  });
  expect(code).toBe(0);
  expect(stdout).toBe("app done\n");
  expect(stderr).toMatch(/INSIGHT \d+: console server listening on 127\.0\.0\.1:\d+/);
});
