/**
 * The command token of a console served beyond loopback. `consolation web
 * --host H` prints the page's address with `?token=…`; the page keeps it for
 * this tab only (sessionStorage), takes it out of the address bar, and sends
 * it with every command. Reads need no token; pause, resume and playback do.
 */
const KEY = "insight.command-token";

function readToken(): string | undefined {
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get("token");
  if (fromUrl) {
    try {
      sessionStorage.setItem(KEY, fromUrl);
    } catch {
      // Storage may be disabled; the token still lasts until the page reloads.
    }
    url.searchParams.delete("token");
    history.replaceState(history.state, "", url.pathname + url.search + url.hash);
    return fromUrl;
  }
  try {
    return sessionStorage.getItem(KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

const token = readToken();

/** Headers every command carries: the marker the server checks, and the token when there is one. */
export function commandHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return { "X-Insight-Command": "1", ...(token ? { "X-Insight-Token": token } : {}), ...extra };
}
