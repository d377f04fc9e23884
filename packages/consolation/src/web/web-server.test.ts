import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { create } from "@bufbuild/protobuf";
import { nanosToTimestamp, UpdateSchema } from "@async-insight/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebFeed } from "./web-feed.js";
import { startWebServer, type RunningWebServer } from "./web-server.js";
import type { WebSnapshot } from "@async-insight/web-contract";

const dir = mkdtempSync(join(tmpdir(), "insight-web-"));
const webRoot = join(dir, "dist");
const docsRoot = join(dir, "docs");
const commands: string[] = [];
let live: RunningWebServer;
let recording: RunningWebServer;
let feed: WebFeed;

function updateWithTask(name: string) {
  const now = nanosToTimestamp(BigInt(Date.now()) * 1_000_000n);
  return create(UpdateSchema, {
    now,
    taskUpdate: {
      newTasks: [
        {
          id: { id: 5n },
          fields: [
            { name: { case: "strName", value: "task.name" }, value: { case: "strVal", value: name } },
            { name: { case: "strName", value: "task.id" }, value: { case: "u64Val", value: 5n } },
          ],
        },
      ],
      statsUpdate: { "5": { createdAt: now, pollStats: { polls: 1n } } },
    },
  });
}

/** Raw HTTP, so tests can send the Host and Origin headers a browser would not let fetch() set. */
function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; until?: (body: string) => boolean } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? "GET", headers: options.headers ?? {} }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
        if (options.until?.(body)) {
          req.destroy();
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        }
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", (error) => (options.until ? undefined : reject(error)));
    req.end();
  });
}

beforeAll(async () => {
  mkdirSync(join(webRoot, "assets"), { recursive: true });
  mkdirSync(join(docsRoot, "problems"), { recursive: true });
  writeFileSync(join(webRoot, "index.html"), "<!doctype html><title>page</title>");
  writeFileSync(join(webRoot, "assets", "app-1234.js"), "console.log(1)");
  writeFileSync(join(dir, "secret.txt"), "do not serve");
  writeFileSync(join(docsRoot, "problems", "deadlock-cycle.md"), "# Deadlock\n");
  feed = new WebFeed({ target: "http://127.0.0.1:6669", controllable: true, minIntervalMs: 0 });
  feed.applyUpdate(updateWithTask("<img src=x onerror=alert(1)>"));
  live = await startWebServer({
    feed,
    webRoot,
    docsRoot,
    controls: {
      pause: async () => void commands.push("pause"),
      resume: async () => void commands.push("resume"),
    },
  });
  recording = await startWebServer({ feed: new WebFeed({ target: "rec.jsonl", controllable: false }), webRoot, docsRoot });
});

afterAll(async () => {
  await live?.close();
  await recording?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("web server", () => {
  it("listens on loopback and serves the page with a strict CSP", async () => {
    expect(live.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await send(live.url);
    expect(page.status).toBe(200);
    expect(page.headers["content-type"]).toBe("text/html; charset=utf-8");
    const csp = String(page.headers["content-security-policy"]);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers["x-content-type-options"]).toBe("nosniff");
    const asset = await send(`${live.url}assets/app-1234.js`);
    expect(asset.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(asset.headers["cache-control"]).toContain("immutable");
  });

  it("serves nothing outside the built page", async () => {
    for (const path of ["../secret.txt", "%2e%2e/secret.txt", "assets/..%2f..%2fsecret.txt", "..%5csecret.txt", "missing.js"]) {
      const res = await send(`${live.url}${path}`);
      expect(res.status, path).toBe(404);
      expect(res.body).not.toContain("do not serve");
    }
  });

  it("answers only requests addressed to loopback (DNS rebinding)", async () => {
    const res = await send(live.url, { headers: { Host: "evil.example:80" } });
    expect(res.status).toBe(421);
    expect((await send(live.url, { headers: { Host: `localhost:${new URL(live.url).port}` } })).status).toBe(200);
  });

  it("takes pause and resume only from its own page", async () => {
    expect((await send(`${live.url}api/pause`, { method: "POST" })).status).toBe(403);
    expect((await send(`${live.url}api/pause`, { method: "POST", headers: { "X-Insight-Command": "1", Origin: "http://evil.example" } })).status).toBe(403);
    expect(commands).toEqual([]);
    const ok = await send(`${live.url}api/pause`, { method: "POST", headers: { "X-Insight-Command": "1", Origin: live.url.slice(0, -1) } });
    expect(ok.status).toBe(200);
    expect(feed.snapshot().temporality).toBe("paused");
    expect((await send(`${live.url}api/resume`, { method: "POST", headers: { "X-Insight-Command": "1" } })).status).toBe(200);
    expect(commands).toEqual(["pause", "resume"]);
    expect(feed.snapshot().temporality).toBe("live");
  });

  it("has no other way to change anything", async () => {
    for (const path of ["api/snapshot", "api/task", "api/select", "api/export/dot", "index.html"]) {
      expect((await send(`${live.url}${path}`, { method: "POST", headers: { "X-Insight-Command": "1" } })).status, path).toBe(404);
    }
    expect((await send(`${live.url}api/pause`, { method: "PUT", headers: { "X-Insight-Command": "1" } })).status).toBe(405);
    expect((await send(`${live.url}api/pause`, { method: "DELETE" })).status).toBe(405);
    expect(commands).toEqual(["pause", "resume"]);
  });

  it("refuses pause on a recording", async () => {
    expect((await send(`${recording.url}api/pause`, { method: "POST", headers: { "X-Insight-Command": "1" } })).status).toBe(409);
  });

  it("streams snapshots as server-sent events, the current one first", async () => {
    const res = await send(`${live.url}api/events`, { until: (body) => /event: snapshot\ndata: .*\n\n/.test(body) });
    expect(res.headers["content-type"]).toBe("text/event-stream; charset=utf-8");
    expect(res.body.startsWith("retry: 1000\n\n")).toBe(true);
    const data = /event: snapshot\ndata: (.*)\n\n/.exec(res.body)?.[1];
    const snapshot = JSON.parse(data ?? "null") as WebSnapshot;
    expect(snapshot.tasks[0]?.name).toBe("<img src=x onerror=alert(1)>");
    expect(snapshot.controllable).toBe(true);
  });

  it("serves JSON details, docs pages by lint id only, and downloads", async () => {
    const task = await send(`${live.url}api/task?key=5`);
    expect(JSON.parse(task.body).row.name).toBe("<img src=x onerror=alert(1)>");
    expect((await send(`${live.url}api/task?key=abc`)).status).toBe(404);
    expect((await send(`${live.url}api/resource?key=99`)).status).toBe(404);
    const docs = await send(`${live.url}api/docs?lint=deadlock-cycle`);
    expect(docs.status).toBe(200);
    expect(docs.body).toBe("# Deadlock\n");
    for (const lint of ["../../secret", "..%2Fsecret", "Deadlock", ""]) expect((await send(`${live.url}api/docs?lint=${lint}`)).status, lint).toBe(404);
    const dot = await send(`${live.url}api/export/dot`);
    expect(dot.headers["content-disposition"]).toBe('attachment; filename="insight-graph.dot"');
    expect(dot.body.startsWith("digraph")).toBe(true);
    const perfetto = JSON.parse((await send(`${live.url}api/export/perfetto`)).body) as { traceEvents: unknown[] };
    expect(Array.isArray(perfetto.traceEvents)).toBe(true);
    expect((await send(`${live.url}api/export/svg`)).status).toBe(404);
  });
});
