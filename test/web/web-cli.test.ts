/**
 * `consolation web` as a user runs it: bad options and a taken port fail in
 * one line, and a recording file is served without a live target.
 */
import { createServer } from "node:net";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startInstrumentServer } from "@async-insight/protocol/server";
import { expectOneLineError, runCli } from "../cli/run-cli.js";
import { scriptedSource } from "../support/scripted-source.js";
import type { WebSnapshot } from "@async-insight/web-contract";
import { ensureWebBuilt } from "./browser.js";
import { startWebCli } from "./cli-process.js";
import { HOSTILE, hostileUpdates } from "./hostile-fixture.js";

const dir = mkdtempSync(join(tmpdir(), "insight-web-cli-"));
beforeAll(() => ensureWebBuilt());
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("consolation web", () => {
  it("rejects a bad --listen-port in one line", async () => {
    const result = await runCli(["web", "--listen-port", "http"]);
    expect(result.code).not.toBe(0);
    expect(expectOneLineError(result)).toBe('consolation: --listen-port expects a port number, got "http"');
  });

  it("says when its port is taken, in one line", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const result = await runCli(["web", "--listen-port", String(port), "--port", "9"]);
      expect(result.code).not.toBe(0);
      expect(expectOneLineError(result)).toBe(`consolation: port ${port} on 127.0.0.1 is already in use; pick another with --listen-port`);
    } finally {
      blocker.close();
    }
  });

  it("serves a recording: the final state, marked as a recording, with no pause", async () => {
    const target = await startInstrumentServer(scriptedSource({ updates: hostileUpdates() }), { host: "127.0.0.1", port: 0 });
    const file = join(dir, "hostile.jsonl");
    try {
      const recorded = await runCli(["record", `http://127.0.0.1:${target.address.port}`, "--for", "2s", "-o", file]);
      expect(recorded.code, recorded.stderr).toBe(0);
    } finally {
      await target.close();
    }
    const { child, url } = await startWebCli([file]);
    try {
      const snapshot = (await (await fetch(`${url}api/snapshot`)).json()) as WebSnapshot;
      expect(snapshot.connection.status).toBe("replay");
      expect(snapshot.controllable).toBe(false);
      expect(snapshot.tasks.map((t) => t.name).sort()).toEqual([HOSTILE.taskB, HOSTILE.taskA].sort());
      const pause = await fetch(`${url}api/pause`, { method: "POST", headers: { "X-Insight-Command": "1" } });
      expect(pause.status).toBe(409);
      // The page and the problem pages come from the declared dependencies: @async-insight/web's dist/ and the
      // copy of docs/problems that @async-insight/engine ships.
      expect(await (await fetch(url)).text()).toBe(readFileSync(new URL("../../packages/web/dist/index.html", import.meta.url), "utf8"));
      const docs = await fetch(`${url}api/docs?lint=deadlock-cycle`);
      expect(await docs.text()).toBe(readFileSync(new URL("../../docs/problems/deadlock-cycle.md", import.meta.url), "utf8"));
    } finally {
      child.kill("SIGINT");
    }
  });
});
