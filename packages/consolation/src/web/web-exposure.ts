/**
 * What `--host`, `--allow-host` and `--command-token` mean for the web console (and
 * `replay --web`). On loopback nothing changes. Beyond loopback the Host check
 * stays on (loopback names, IP literals and the `--allow-host` names are
 * answered, so a DNS-rebinding name is not) and every command needs a token:
 * the one given with `--command-token`, or a random one generated at start-up and
 * printed in the page's address.
 */
import { randomBytes } from "node:crypto";
import { CliError } from "../cli/cli-error.js";
import { hostName, isLoopbackHost } from "./security-headers.js";

export interface Exposure {
  readonly allowedHosts: readonly string[];
  readonly token?: string;
}

/** Collects a repeatable option. */
export const collectValues = (value: string, previous: string[] = []): string[] => [...previous, value];

export function exposureFor(host: string, allowHost: readonly string[] = [], token?: string): Exposure {
  for (const name of allowHost) {
    if (!/^[a-z0-9.-]+$/i.test(hostName(name))) throw new CliError(`--allow-host expects a host name, got "${name}"`);
  }
  if (token !== undefined && !/^[\x21-\x7e]{16,256}$/.test(token)) throw new CliError("--command-token expects 16 to 256 printable ASCII characters");
  if (isLoopbackHost(host)) return { allowedHosts: allowHost, ...(token !== undefined ? { token } : {}) };
  return { allowedHosts: allowHost, token: token ?? randomBytes(18).toString("base64url") };
}

/** The address to open: with the token when commands need one (the page reads and hides it). */
export function pageUrl(url: string, exposure: Exposure): string {
  return exposure.token === undefined ? url : `${url}?token=${encodeURIComponent(exposure.token)}`;
}

/** The start-up warning beyond loopback, naming the hosts answered and the token's role. */
export function exposureWarning(command: string, host: string, exposure: Exposure, what: string): string | undefined {
  if (isLoopbackHost(host)) return undefined;
  const names = ["loopback names", "IP addresses", ...exposure.allowedHosts].join(", ");
  return (
    `${command}: warning: listening on ${host}; anyone who can reach it can see ${what}. ` +
    `Answering Host: ${names} (add a name with --allow-host). Commands need the token in the printed address.\n`
  );
}
