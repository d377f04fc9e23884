/**
 * `consolation web --host 0.0.0.0` as a user runs it: it warns, prints the
 * page's address with a generated token, keeps refusing a DNS-rebinding Host,
 * refuses commands without the token, and the page (in chromium) sends the
 * token it was opened with.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { headerLine, updateLine } from "@async-insight/protocol/recording";
import { timestampToNanos } from "@async-insight/protocol";
import { CONSOLATION_BIN, expectOneLineError, runCli } from "../cli/run-cli.js";
import { startPeer, type Peer } from "../support/rust-peers.js";
import { ensureWebBuilt, haveChromium, launchChromium } from "./browser.js";
import { hostileUpdates } from "./hostile-fixture.js";

let dir: string;
let web: Peer | undefined;
let port = 0;
let token = "";

/** Connects to 127.0.0.1 whatever `host` the Host header claims. */
function send(
  host: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method: options.method ?? "GET", headers: { Host: host, ...options.headers } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

beforeAll(async () => {
  ensureWebBuilt();
  dir = mkdtempSync(join(tmpdir(), "insight-web-exposure-"));
  const file = join(dir, "hostile.jsonl");
  writeFileSync(
    file,
    headerLine("http://127.0.0.1:6669", "test") +
      hostileUpdates()
        .map((u) => updateLine(u, timestampToNanos(u.now)!))
        .join(""),
  );
  web = startPeer(process.execPath, [CONSOLATION_BIN, "web", file, "--host", "0.0.0.0", "--listen-port", "0", "--allow-host", "console.lab.example"]);
  const match = await web.waitForOutput(/serving http:\/\/0\.0\.0\.0:(\d+)\/\?token=([A-Za-z0-9_-]+) \(recording /);
  port = Number(match[1]);
  token = match[2]!;
});

afterAll(async () => {
  web?.signal("SIGINT");
  await web?.exited;
  rmSync(dir, { recursive: true, force: true });
});

describe("consolation web --host 0.0.0.0", () => {
  it("warns once, naming the hosts it answers, and prints a fresh token", () => {
    expect(web!.stderr).toBe(
      "consolation web: warning: listening on 0.0.0.0; anyone who can reach it can see the target's tasks. Answering Host: loopback names, IP addresses, console.lab.example (add a name with --allow-host). Commands need the token in the printed address.\n",
    );
    expect(token).toHaveLength(24);
  });

  it("rejects a short --command-token and a bad --allow-host in one line", async () => {
    expect(expectOneLineError(await runCli(["web", "--host", "0.0.0.0", "--command-token", "short"]))).toBe(
      "consolation: --command-token expects 16 to 256 printable ASCII characters",
    );
    expect(expectOneLineError(await runCli(["web", "--host", "0.0.0.0", "--allow-host", "a b"]))).toBe(
      'consolation: --allow-host expects a host name, got "a b"',
    );
  });

  it("refuses a DNS-rebinding Host and answers an allowed one", async () => {
    expect((await send(`rebind.evil.example:${port}`, "/api/snapshot")).status).toBe(421);
    expect((await send(`console.lab.example:${port}`, "/api/snapshot")).status).toBe(200);
  });

  it("refuses a command without the token and runs it with the token", async () => {
    const command = (headers: Record<string, string>) =>
      send(`127.0.0.1:${port}`, "/api/replay", {
        method: "POST",
        headers: { "X-Insight-Command": "1", "Content-Type": "application/json", ...headers },
        body: '{"action":"start"}',
      });
    expect((await command({})).status).toBe(403);
    expect((await command({ "X-Insight-Token": "not-the-token-at-all" })).status).toBe(403);
    const ok = await command({ "X-Insight-Token": token });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ frame: 0 });
  });
});

describe.skipIf(!haveChromium)("the page beyond loopback", () => {
  let browser: Browser;
  beforeAll(async () => (browser = await launchChromium()));
  afterAll(async () => browser?.close());

  it("sends the token it was opened with, and hides it from the address bar", async () => {
    const page = await browser.newPage();
    const commands: Array<string | undefined> = [];
    page.on("request", (r) => {
      if (r.method() === "POST") commands.push(r.headers()["x-insight-token"]);
    });
    await page.goto(`http://127.0.0.1:${port}/?token=${token}`);
    await page.locator("section.replay-controls").waitFor({ timeout: 15_000 });
    expect(page.url()).toBe(`http://127.0.0.1:${port}/`);
    await page.click("#replay-end");
    await page.locator(`section.replay-controls[data-frame='2']`).waitFor({ timeout: 15_000 });
    await page.click("#replay-start");
    await page.locator(`section.replay-controls[data-frame='0']`).waitFor({ timeout: 15_000 });
    expect(commands).toEqual([token, token]);
  });

  it("opened without the token, its commands are refused", async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.locator("section.replay-controls").waitFor({ timeout: 15_000 });
    const refused = page.waitForResponse((r) => r.url().endsWith("/api/replay"));
    await page.click("#replay-end");
    expect((await refused).status()).toBe(403);
  });
});
