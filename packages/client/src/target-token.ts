/**
 * The bearer token a console sends to one target. Kept beside the target's
 * URL rather than in it (a URL's password would show wherever a URL is
 * printed), so that every command that resolves a target and opens a
 * ConsoleClient on it sends the token without passing it along separately.
 */
const tokens = new WeakMap<URL, string>();

/** Sends `token` (if any) on every call a ConsoleClient makes to `target`. */
export function attachToken(target: URL, token: string | undefined): URL {
  if (token !== undefined && token !== "") tokens.set(target, token);
  else tokens.delete(target);
  return target;
}

export function tokenFor(target: URL): string | undefined {
  return tokens.get(target);
}
