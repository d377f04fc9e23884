/** Where a console connects: parsing and validating the TARGET argument. */

export const DEFAULT_TARGET = "http://127.0.0.1:6669";

export class TargetError extends Error {
  override name = "TargetError";
}

/**
 * Accepts `http://host:port`, `https://host:port`, `host:port` or a bare port
 * number; `port` (from `--port N`) overrides the port of whatever was given.
 */
export function parseTarget(input: string | undefined, port?: number): URL {
  let text = (input ?? DEFAULT_TARGET).trim();
  if (/^\d+$/.test(text)) text = `http://127.0.0.1:${text}`;
  else if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) text = `http://${text}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TargetError(`invalid target "${input}": expected http://HOST:PORT`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TargetError(`invalid target "${input}": scheme ${url.protocol} is not supported (use http:// or https://)`);
  }
  if (port !== undefined) {
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new TargetError(`invalid port ${port}: expected 1-65535`);
    }
    url.port = String(port);
  }
  // URL drops a port equal to the scheme's default, so only fill in 6669 when
  // the text named no port at all.
  const namedPort = /^[a-z][a-z0-9+.-]*:\/\/[^/]*:\d+(?:\/|$)/i.test(text);
  if (!url.port && !namedPort) url.port = "6669";
  return url;
}

/** The target as people write it: scheme, host and port only. */
export function formatTarget(url: URL): string {
  return `${url.protocol}//${url.host}`;
}
