/**
 * The web console's HTTP server (plain node:http): the built page, a
 * Server-Sent-Events stream of snapshots, read-only JSON for details, docs and
 * downloads, and the commands: pause and resume for a live target, playback
 * for a replayed file. Nothing else a request can do reaches the target.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { boundedJsonReplacer, LONG_FIELD_WIDTH, safeText } from "@async-insight/engine";
import { commandAllowed, hostAllowed, hostName, isLoopbackHost, setSecurityHeaders, tokenAccepted } from "./security-headers.js";
import { readProblemDoc, readStaticFile } from "./static-files.js";
import { SseClients } from "./sse-clients.js";
import type { WebFeed } from "./web-feed.js";
import type { WebHistograms, WebReplay, WebReplayCommand } from "@async-insight/web-contract";

export interface WebControls {
  pause(): Promise<void>;
  resume(): Promise<void>;
  histograms?(taskKey: string): Promise<WebHistograms | undefined>;
  /** Playback of a replayed file. */
  replay?(command: WebReplayCommand): WebReplay;
}

export interface WebServerOptions {
  readonly feed: WebFeed;
  readonly controls?: WebControls;
  readonly webRoot: string;
  readonly docsRoot: string;
  readonly host?: string;
  readonly port?: number;
  /** SSE comment lines keep proxies and idle timers from closing the stream. */
  readonly heartbeatMs?: number;
  /** Host names (beyond loopback names and IP literals) the server answers when bound beyond loopback. */
  readonly allowedHosts?: readonly string[];
  /** Commands must carry this in `X-Insight-Token` (set when bound beyond loopback). */
  readonly token?: string;
}

export interface RunningWebServer {
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" });
  // Details keep the full text, bounded like the SSE events (FULL_TEXT_LIMIT per string).
  res.end(JSON.stringify(body, boundedJsonReplacer));
}

function sendText(res: ServerResponse, status: number, text: string, type = "text/plain; charset=utf-8", extra: Record<string, string> = {}): void {
  res.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store", ...extra });
  res.end(text);
}

/** A playback command is a few dozen bytes; anything much larger is not one. */
const MAX_COMMAND_BYTES = 1024;

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_COMMAND_BYTES) {
        resolve(undefined);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

const SIMPLE_ACTIONS = new Set(["play", "pause", "toggle", "step", "start", "end", "faster", "slower"]);

/** Only the exact shapes the page sends; a number must be finite. */
export function parseReplayCommand(text: string): WebReplayCommand | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const { action, ms, speed } = value as Record<string, unknown>;
  if (typeof action !== "string") return undefined;
  if (SIMPLE_ACTIONS.has(action)) return { action: action as "play" };
  if ((action === "seek-to" || action === "seek-by") && typeof ms === "number" && Number.isFinite(ms)) return { action, ms };
  if (action === "speed" && typeof speed === "number" && Number.isFinite(speed) && speed > 0) return { action, speed };
  return undefined;
}

const EXPORTS = {
  dot: { file: "insight-graph.dot", type: "text/vnd.graphviz; charset=utf-8" },
  mermaid: { file: "insight-graph.mmd", type: "text/plain; charset=utf-8" },
  perfetto: { file: "insight-timeline.json", type: "application/json; charset=utf-8" },
} as const;

export function startWebServer(options: WebServerOptions): Promise<RunningWebServer> {
  const host = options.host ?? "127.0.0.1";
  const loopback = isLoopbackHost(host);
  const sse = new SseClients(options.feed, options.heartbeatMs ?? 15_000);
  const allowedHosts = new Set((options.allowedHosts ?? []).map(hostName));

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    setSecurityHeaders(res);
    if (!hostAllowed(req, loopback, allowedHosts)) {
      return sendText(
        res,
        421,
        loopback
          ? "this console only answers requests addressed to loopback\n"
          : "this console does not answer requests addressed to this host name; allow it with --allow-host\n",
      );
    }
    const url = new URL(req.url ?? "/", "http://local");
    const path = url.pathname;
    const method = req.method ?? "GET";

    if (method === "POST") {
      if (path !== "/api/pause" && path !== "/api/resume" && path !== "/api/replay") return sendText(res, 404, "not found\n");
      if (!commandAllowed(req)) return sendText(res, 403, "commands must come from the console page\n");
      if (!tokenAccepted(req, options.token))
        return sendText(res, 403, "commands need the token printed when the console started (open the address it printed)\n");
      if (path === "/api/replay") {
        if (!options.controls?.replay) return sendJson(res, 409, { error: "only a replayed file has playback controls" });
        if (!/^application\/json\b/.test(req.headers["content-type"] ?? "")) return sendJson(res, 415, { error: "send the command as application/json" });
        const body = await readBody(req);
        const command = body === undefined ? undefined : parseReplayCommand(body);
        if (!command) return sendJson(res, 400, { error: "not a playback command" });
        return sendJson(res, 200, options.controls.replay(command));
      }
      if (!options.controls || !options.feed.controllable) return sendJson(res, 409, { error: "a recording cannot be paused or resumed" });
      const pausing = path === "/api/pause";
      options.feed.setTemporality(pausing ? "pausing" : "resuming");
      try {
        await (pausing ? options.controls.pause() : options.controls.resume());
        // WatchState confirms later; targets without it never will, so settle here too.
        options.feed.setTemporality(pausing ? "paused" : "live");
        return sendJson(res, 200, { ok: true });
      } catch (error) {
        options.feed.setTemporality(pausing ? "live" : "paused");
        const why = safeText(error instanceof Error ? error.message : String(error), LONG_FIELD_WIDTH);
        return sendJson(res, 502, { error: `could not ${pausing ? "pause" : "resume"}: ${why}` });
      }
    }
    if (method !== "GET" && method !== "HEAD") return sendText(res, 405, "method not allowed\n", undefined, { Allow: "GET, HEAD, POST" });

    switch (path) {
      case "/api/events":
        return sse.add(req, res);
      case "/api/snapshot":
        return sendJson(res, 200, options.feed.snapshot());
      case "/api/task": {
        const detail = options.feed.taskDetail(url.searchParams.get("key") ?? "");
        return detail ? sendJson(res, 200, detail) : sendJson(res, 404, { error: "no such task" });
      }
      case "/api/resource": {
        const detail = options.feed.resourceDetail(url.searchParams.get("key") ?? "");
        return detail ? sendJson(res, 200, detail) : sendJson(res, 404, { error: "no such resource" });
      }
      case "/api/histograms": {
        const key = url.searchParams.get("task") ?? "";
        const found = /^\d+$/.test(key) && options.controls?.histograms ? await options.controls.histograms(key) : undefined;
        return found ? sendJson(res, 200, found) : sendJson(res, 404, { error: "no histograms for this task" });
      }
      case "/api/docs": {
        const text = readProblemDoc(options.docsRoot, url.searchParams.get("lint") ?? "");
        return text === undefined ? sendText(res, 404, "no docs page for this lint\n") : sendText(res, 200, text, "text/markdown; charset=utf-8");
      }
    }
    if (path.startsWith("/api/export/")) {
      const kind = path.slice("/api/export/".length);
      if (kind !== "dot" && kind !== "mermaid" && kind !== "perfetto") return sendText(res, 404, "not found\n");
      const text = kind === "dot" ? options.feed.dot() : kind === "mermaid" ? options.feed.mermaid() : options.feed.perfetto();
      return sendText(res, 200, text, EXPORTS[kind].type, { "Content-Disposition": `attachment; filename="${EXPORTS[kind].file}"` });
    }
    if (path.startsWith("/api/")) return sendText(res, 404, "not found\n");
    const file = readStaticFile(options.webRoot, path) ?? (path.includes(".") ? undefined : readStaticFile(options.webRoot, "/"));
    if (!file) return sendText(res, 404, "not found\n");
    res.writeHead(200, { "Content-Type": file.type, "Cache-Control": file.immutable ? "public, max-age=31536000, immutable" : "no-cache" });
    res.end(method === "HEAD" ? undefined : file.body);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendText(res, 500, `internal error: ${error instanceof Error ? error.message : String(error)}\n`);
      else res.end();
    });
  });

  return new Promise((resolvePromise, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      const address = server.address() as AddressInfo;
      const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
      resolvePromise({
        url: `http://${shownHost}:${address.port}/`,
        server,
        close: () =>
          new Promise<void>((done) => {
            sse.closeAll();
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
