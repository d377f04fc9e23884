/**
 * `consolation check` against Node services with insight: the story's
 * service must fail (the task waiting on its own full channel), live and
 * from a recording of it; the fixed service must pass under load.
 */
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../cli/run-cli.js";
import { freePort } from "../support/free-port.js";
import { startPeer, type Peer } from "../support/rust-peers.js";

const repoRoot = new URL("../../", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "insight-check-node-"));
const peers: Peer[] = [];

afterAll(async () => {
  await Promise.all(peers.map((p) => p.stop()));
  rmSync(dir, { recursive: true, force: true });
});

async function startService(example: string): Promise<{ httpPort: string; consolePort: number }> {
  const consolePort = await freePort();
  const service = startPeer(process.execPath, [join(repoRoot, "examples/node", example, "server.mjs")], {
    PORT: "0",
    INSIGHT_BIND: `127.0.0.1:${consolePort}`,
    INSIGHT_PORT: "",
    TOKIO_CONSOLE_BIND: "",
  });
  peers.push(service);
  const [, httpPort] = await service.waitForOutput(/http listening on port (\d+)/);
  await service.waitForPort(consolePort);
  return { httpPort: httpPort!, consolePort };
}

function get(port: string, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get(`http://127.0.0.1:${port}${path}`, (res) => {
        let body = "";
        res.setEncoding("utf8").on("data", (c: string) => (body += c));
        res.on("end", () => resolve(body));
      })
      .on("error", reject);
  });
}

describe("check on Node services", () => {
  it("fails the story's service, live and from a recording, naming the task, the channel and the await", async () => {
    const { httpPort, consolePort } = await startService("prototype-channel");
    void get(httpPort, "/process").catch(() => {}); // never answers: the bug
    const recording = join(dir, "story.jsonl");
    const target = `http://127.0.0.1:${consolePort}`;
    // The deadlock forms as the request arrives; the library proves it once the task has been idle
    // for 3 s (the GC proof, docs/model.md), so the window must outlast that and two more updates.
    const [live, recorded] = await Promise.all([runCli(["check", target, "--for", "8s"]), runCli(["record", target, "--for", "8s", "-o", recording])]);
    expect(live.code, live.stdout + live.stderr).toBe(1);
    expect(live.stdout).toMatch(/error\[deadlock-cycle\]: Task \d+ "process-jobs" waits on itself through prototype_channel/);
    expect(live.stdout).toMatch(
      /--> examples\/node\/prototype-channel\/server\.mjs:\d+:\d+ {2}task \d+ process-jobs: send: waiting on channel capacity on prototype_channel/,
    );
    expect(live.stdout).toContain("see docs/problems/deadlock-cycle.md");
    expect(live.stdout).toMatch(/check failed: \d+ denied problem/);

    expect(recorded.code, recorded.stderr).toBe(0);
    const fromFile = await runCli(["check", recording, "--json"]);
    expect(fromFile.code, fromFile.stdout + fromFile.stderr).toBe(1);
    const report = JSON.parse(fromFile.stdout) as { ok: boolean; problems: { lint: string; denied: boolean; docs: string }[] };
    expect(report.ok).toBe(false);
    expect(report.problems.find((p) => p.lint === "deadlock-cycle")).toMatchObject({ denied: true, docs: "docs/problems/deadlock-cycle.md" });
  });

  it("passes the fixed service while it serves requests", async () => {
    const { httpPort, consolePort } = await startService("healthy");
    const checking = runCli(["check", `http://127.0.0.1:${consolePort}`, "--for", "3s"]);
    const bodies: string[] = [];
    for (let i = 0; i < 20; i++) bodies.push(await get(httpPort, "/process"));
    const result = await checking;
    expect(bodies.every((b) => b.includes("store: ok"))).toBe(true);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/check passed/);
  });
});
