/**
 * Headers and request checks that keep the web console a local, read-mostly
 * page: a strict Content-Security-Policy (only our own scripts, styles and
 * connections; no inline script, no remote anything), no framing, and guards
 * against other web pages and DNS-rebinding hosts talking to the server.
 */
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

/**
 * A page on some other site can make the browser send requests here; with a
 * rebinding DNS name it can even read the answers. Bound to loopback, we
 * therefore answer only requests whose Host names loopback.
 */
export function hostAllowed(req: IncomingMessage, boundToLoopback: boolean): boolean {
  if (!boundToLoopback) return true;
  const host = req.headers.host;
  if (!host) return false;
  const name = host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : host.replace(/:\d+$/, "");
  return isLoopbackHost(name);
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
