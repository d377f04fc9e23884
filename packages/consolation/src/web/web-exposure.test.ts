/**
 * The web console bound beyond loopback, over real HTTP: the Host check stays
 * on (a DNS-rebinding name is refused, loopback names, IP literals and
 * --allow-host names are answered) and commands need the token.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exposureFor, exposureWarning, pageUrl } from "./web-exposure.js";
import { WebFeed } from "./web-feed.js";
import { startWebServer, type RunningWebServer } from "./web-server.js";

const dir = mkdtempSync(join(tmpdir(), "insight-web-exposure-"));
const TOKEN = "s3cret-token-0123456789";
const commands: string[] = [];
let server: RunningWebServer;
let port: number;

/** Always connects to 127.0.0.1; `host` is what the Host header claims, as a rebinding page's request would. */
function send(host: string, path: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method: options.method ?? "GET", headers: { Host: host, ...options.headers } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

beforeAll(async () => {
  const webRoot = join(dir, "dist");
  mkdirSync(webRoot, { recursive: true });
  writeFileSync(join(webRoot, "index.html"), "<!doctype html><title>page</title>");
  server = await startWebServer({
    feed: new WebFeed({ target: "http://127.0.0.1:6669", controllable: true, minIntervalMs: 0 }),
    webRoot,
    docsRoot: dir,
    host: "0.0.0.0",
    port: 0,
    allowedHosts: ["console.lab.example"],
    token: TOKEN,
    controls: {
      pause: async () => void commands.push("pause"),
      resume: async () => void commands.push("resume"),
    },
  });
  port = Number(new URL(server.url).port);
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("web console beyond loopback", () => {
  it("refuses a DNS-rebinding host name and answers loopback, IP literals and allowed names", async () => {
    const refused = await send(`evil.example:${port}`, "/api/snapshot");
    expect(refused.status).toBe(421);
    expect(refused.body).toBe("this console does not answer requests addressed to this host name; allow it with --allow-host\n");
    expect((await send(`127.0.0.1.evil.example:${port}`, "/")).status).toBe(421);
    for (const host of [
      `localhost:${port}`,
      `127.0.0.1:${port}`,
      `[::1]:${port}`,
      `192.168.1.20:${port}`,
      `[fe80::1]:${port}`,
      `Console.Lab.Example:${port}`,
      "console.lab.example",
    ]) {
      expect((await send(host, "/api/snapshot")).status, host).toBe(200);
    }
  });

  it("refuses a command without the token or with a wrong one, and runs it with the token", async () => {
    const host = `192.168.1.20:${port}`;
    const without = await send(host, "/api/pause", { method: "POST", headers: { "X-Insight-Command": "1" } });
    expect(without.status).toBe(403);
    expect(without.body).toBe("commands need the token printed when the console started (open the address it printed)\n");
    const wrong = await send(host, "/api/pause", { method: "POST", headers: { "X-Insight-Command": "1", "X-Insight-Token": `${TOKEN}x` } });
    expect(wrong.status).toBe(403);
    expect(commands).toEqual([]);
    const right = await send(host, "/api/pause", { method: "POST", headers: { "X-Insight-Command": "1", "X-Insight-Token": TOKEN } });
    expect(right.status).toBe(200);
    expect(commands).toEqual(["pause"]);
  });

  it("still refuses a command with the token but from another page", async () => {
    const res = await send(`localhost:${port}`, "/api/resume", {
      method: "POST",
      headers: { "X-Insight-Command": "1", "X-Insight-Token": TOKEN, Origin: "http://evil.example" },
    });
    expect(res.status).toBe(403);
    expect(commands).toEqual(["pause"]);
  });
});

describe("exposure options", () => {
  it("generates a token beyond loopback and none on loopback", () => {
    expect(exposureFor("127.0.0.1")).toEqual({ allowedHosts: [] });
    const wide = exposureFor("0.0.0.0", ["box.example"]);
    expect(wide.allowedHosts).toEqual(["box.example"]);
    expect(wide.token).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(exposureFor("0.0.0.0", [], TOKEN).token).toBe(TOKEN);
    expect(pageUrl("http://0.0.0.0:6670/", { allowedHosts: [], token: "a+b" })).toBe("http://0.0.0.0:6670/?token=a%2Bb");
  });

  it("rejects a bad host name or a short token in one line", () => {
    expect(() => exposureFor("0.0.0.0", ["evil host/"])).toThrow('--allow-host expects a host name, got "evil host/"');
    expect(() => exposureFor("0.0.0.0", [], "short")).toThrow("--command-token expects 16 to 256 printable ASCII characters");
  });

  it("warns once beyond loopback, naming what is answered", () => {
    expect(exposureWarning("consolation web", "127.0.0.1", { allowedHosts: [] }, "x")).toBeUndefined();
    expect(exposureWarning("consolation web", "0.0.0.0", { allowedHosts: ["box.example"], token: "t" }, "the target's tasks")).toBe(
      "consolation web: warning: listening on 0.0.0.0; anyone who can reach it can see the target's tasks. Answering Host: loopback names, IP addresses, box.example (add a name with --allow-host). Commands need the token in the printed address.\n",
    );
  });
});
