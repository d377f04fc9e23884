/**
 * Acceptance: the web console against the story's Node service
 * (examples/node/prototype-channel, started as its header documents). After
 * GET /process the `process-jobs` task sends into a full channel nobody ever
 * receives from. Once the library's garbage-collection proof has run (>= 3 s
 * idle, while this console watches), the graph must show task →
 * prototype_channel → task (its only user, the sole sender) in red, the
 * task's details the `send` await site, and its timeline lane the task blocked.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { freePort } from "../support/free-port.js";
import { haveChromium, launchChromium } from "./browser.js";
import { walkDeadlock } from "./deadlock-acceptance.js";
import { startWebConsole } from "./web-console.js";
import type { RunningWebConsole } from "../../packages/consolation/src/web/web-command.js";

const serverScript = join(import.meta.dirname, "..", "..", "examples", "node", "prototype-channel", "server.mjs");

let service: ChildProcess | undefined;
let web: RunningWebConsole | undefined;
let browser: Browser;
let page: Page;

function startService(consolePort: number): Promise<number> {
  service = spawn(process.execPath, [serverScript], {
    env: { ...process.env, PORT: "0", INSIGHT_BIND: `127.0.0.1:${consolePort}` },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    service!.stderr!.on("data", (chunk: Buffer) => (err += chunk.toString()));
    service!.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const http = /http listening on port (\d+)/.exec(out);
      if (http && /insight console on port \d+/.test(out)) resolve(Number(http[1]));
    });
    service!.once("exit", (code) => reject(new Error(`the story service exited with ${code}: ${err}`)));
  });
}

describe.skipIf(!haveChromium || !existsSync(serverScript))("web console on the story's Node service", () => {
  beforeAll(async () => {
    const consolePort = await freePort();
    const httpPort = await startService(consolePort);
    web = await startWebConsole(`http://127.0.0.1:${consolePort}`);
    // The request never answers: that is the bug the story is about.
    request({ host: "127.0.0.1", port: httpPort, path: "/process" })
      .on("error", () => {})
      .end();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
  });

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    service?.kill();
  });

  it("shows task → prototype_channel → task in red, the send's await site, and the task blocked", async () => {
    await walkDeadlock(page, web!.url, {
      tasks: ["process-jobs"],
      resources: ["prototype_channel"],
      awaitSite: /server\.mjs:\d+/,
      shots: "node-story",
    });
  });
});
