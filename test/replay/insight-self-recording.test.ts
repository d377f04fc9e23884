/**
 * The story's Node service recording itself (INSIGHT_RECORD_PATH, no console
 * attached), killed mid-run as a crash would: the recording must replay to
 * the same deadlock the live console shows, and `check` must fail on it.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { runCli } from "../cli/run-cli.js";
import { freePort } from "../support/free-port.js";
import { startPeer, type Peer } from "../support/rust-peers.js";
import { waitFor } from "../support/wait-for.js";

const repoRoot = new URL("../../", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "insight-self-recording-"));
let service: Peer | undefined;

afterAll(async () => {
  await service?.stop();
  rmSync(dir, { recursive: true, force: true });
});

it("replays the story service's own recording to the deadlock, after a hard kill", async () => {
  const file = join(dir, "story.jsonl");
  const consolePort = await freePort();
  service = startPeer(process.execPath, [join(repoRoot, "examples/node/prototype-channel/server.mjs")], {
    PORT: "0",
    INSIGHT_BIND: `127.0.0.1:${consolePort}`,
    INSIGHT_PORT: "",
    TOKIO_CONSOLE_BIND: "",
    INSIGHT_RECORD_PATH: file,
    INSIGHT_PUBLISH_INTERVAL: "200ms",
  });
  const [, httpPort] = await service.waitForOutput(/http listening on port (\d+)/);
  http.get(`http://127.0.0.1:${httpPort}/process`).on("error", () => {});
  // The library proves the task stuck only after 3 s of idleness and a sweep; a recording counts as
  // watched, so the proof lands in the file. Wait until the file as written so far shows it.
  await waitFor(async () => (readFileSync(file, "utf8").includes("prototype_channel") && (await runCli(["check", file])).code === 1 ? true : undefined), {
    timeoutMs: 30_000,
    intervalMs: 1_000,
    description: "the recording to hold the proven-stuck send",
  });
  service.signal("SIGKILL");

  const replay = await runCli(["replay", file, "--plain"]);
  expect(replay.code, replay.stderr).toBe(0);
  expect(replay.stdout).toMatch(/process-jobs/);
  expect(replay.stdout).toMatch(/deadlock-cycle/);
  expect(replay.stdout).toContain("prototype_channel");

  const quiet = await runCli(["replay", file, "--plain", "--allow", "deadlock-cycle"]);
  expect(quiet.code, quiet.stderr).toBe(0);
  expect(quiet.stdout).not.toMatch(/deadlock-cycle/);

  const check = await runCli(["check", file]);
  expect(check.code, check.stdout + check.stderr).toBe(1);
  expect(check.stdout).toMatch(/error\[deadlock-cycle\]: Task \d+ "process-jobs" waits on itself through prototype_channel/);
});
