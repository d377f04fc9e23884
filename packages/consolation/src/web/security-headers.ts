/**
 * Headers and request checks that keep the web console a local, read-mostly
 * page: a strict Content-Security-Policy (only our own scripts, styles and
 * connections; no inline script, no remote anything), no framing, and guards
 * against other web pages and DNS-rebinding hosts talking to the server.
 */
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * `require-trusted-types-for 'script'` makes the browser refuse string-to-HTML
 * sinks such as innerHTML outright, so even a rendering bug cannot turn a task
 * name into markup. The app builds every node through Preact and text nodes.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  "trusted-types 'none'",
].join("; ");

export function setSecurityHeaders(res: ServerResponse): void {
  res.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "no-referrer");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
  res.setHeader("Cross-Origin-Resource-Policy", "same-origin");
  res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
}

const LOOPBACK_NAMES = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_NAMES.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The host part of a Host header, lower-cased: `name`, `1.2.3.4` or `[::1]`. */
export function hostName(header: string): string {
  const host = header.trim().toLowerCase();
  return host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : host.replace(/:\d*$/, "");
}

/** An IPv4 literal or a bracketed IPv6 literal. */
function isIpLiteral(name: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(name) || /^\[[0-9a-f:.]+\]$/.test(name);
}

/**
 * A page on some other site can make the browser send requests here; with a
 * rebinding DNS name (evil.example resolving to this machine) it can even read
 * the answers, but its requests still carry its own name in Host. So we answer
 * only a Host that is a loopback name, an IP literal (a page can only reach
 * one by being served from that very address: same origin as ours, nobody
 * else's), or a name the user allowed with `--allow-host`. Bound to loopback,
 * only loopback names count.
 */
export function hostAllowed(req: IncomingMessage, boundToLoopback: boolean, allowedHosts: ReadonlySet<string> = new Set()): boolean {
  const header = req.headers.host;
  if (!header) return false;
  const name = hostName(header);
  if (isLoopbackHost(name)) return true;
  if (boundToLoopback) return false;
  return isIpLiteral(name) || allowedHosts.has(name);
}

/**
 * Beyond loopback a command (pause, resume, playback) also needs the token
 * printed at start-up: the network can reach the page, and only whoever was
 * given the address with its token may drive the target. Compared in
 * constant time.
 */
export function tokenAccepted(req: IncomingMessage, token: string | undefined): boolean {
  if (token === undefined) return true;
  const sent = req.headers["x-insight-token"];
  if (typeof sent !== "string") return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Commands must come from our own page: a custom header cannot be sent
 * cross-origin without a CORS preflight, which this server never approves, and
 * an Origin, when the browser sends one, must be our own.
 */
export function commandAllowed(req: IncomingMessage): boolean {
  if (req.headers["x-insight-command"] !== "1") return false;
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
