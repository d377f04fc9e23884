/**
 * `npm start -- --story pool` without a terminal (CI, a pipe): it must start
 * its own PostgreSQL and the orders service, show orders answering one at a
 * time and hanging under load, print consolation's plain report naming the
 * pool deadlock, and leave neither the service nor PostgreSQL running.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { expect, it } from "vitest";
import { canConnect } from "../support/rust-peers.js";
import { lineOf } from "./orders-service.js";

const repoRoot = new URL("../../", import.meta.url).pathname;

function runStart(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(repoRoot, "scripts", "start.mjs"), ...args], { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("exit", (code) => resolve({ code, output }));
  });
}

it("plays the pool story: orders work alone, hang under load, and the plain report names the pool deadlock", async () => {
  const { code, output } = await runStart(["--story", "pool", "--no-web", "--no-build"]);
  expect(output).toContain("POST /orders, one at a time: answered 201, answered 201");
  expect(output).toMatch(/POST http:\/\/127\.0\.0\.1:\d+\/orders x8 at once/);
  expect(output).toMatch(/\d of 8 answered, \d got no answer after 2s \(still waiting\): the story's hang\./);
  expect(output).toContain("GET /health: answered 200 (the process is fine); GET /orders/1: no answer after 2s");
  expect(output).toMatch(/^\s+\d+\s+POST \/orders\s+request\s+blocked/m);
  expect(output).toMatch(
    /^ {2}\[error\] Tasks (\d+) "POST \/orders", (\d+) "POST \/orders" wait on each other through pool orders-service and can never make progress: pool orders-service: 2\/2 connections held by tasks \1 and \2, .*\(deadlock-cycle; see docs\/problems\/deadlock-cycle\.md\)$/m,
  );
  const audit = lineOf("server.mjs", 'await pool.query("INSERT INTO audit_log');
  expect(output).toMatch(
    new RegExp(
      `^ {6}awaits orders-service \\(Pool\\): waiting for a pool connection: 2/2 checked out by tasks \\d+, \\d+ at examples/node/orders-service/server\\.mjs:${audit}:\\d+$`,
      "m",
    ),
  );
  expect(code).toBe(0);
  // Nothing left behind: the service's HTTP port and PostgreSQL's port are closed.
  const httpPort = Number(/service \| http listening on port (\d+)/.exec(output)![1]);
  const postgresPort = Number(/PostgreSQL on 127\.0\.0\.1:(\d+)/.exec(output)![1]);
  expect(await canConnect("127.0.0.1", httpPort)).toBe(false);
  expect(await canConnect("127.0.0.1", postgresPort)).toBe(false);
}, 120_000);

it("refuses a story it does not know, in one line, with exit 2", async () => {
  const { code, output } = await runStart(["--story", "nope", "--no-web", "--no-build"]);
  expect(output).toBe('unknown story "nope": the stories are the default one (no --story) and --story pool\n');
  expect(code).toBe(2);
});
