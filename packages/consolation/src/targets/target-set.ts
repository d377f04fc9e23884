/**
 * Several targets in one session: `consolation 7001,7002`, `--port A --port B`,
 * or `--discover` (every live server in the discovery directory). Each target
 * gets a short label, the process column of every view: the pid (`/tN` for
 * a worker thread) when the discovery directory knows the server, else its
 * host:port. See docs/processes.md.
 */
import { isIP } from "node:net";
import { formatTarget } from "@async-insight/client";
import { CliError } from "../cli/cli-error.js";
import { resolveTarget } from "../cli/target-option.js";
import { readDiscoveryDir, serverLabel, serverRole, type DiscoveredServer } from "./discovery-dir.js";
import { LONG_FIELD_WIDTH, safeText } from "@async-insight/engine";

export interface NamedTarget {
  readonly url: URL;
  /** The process column: "4242", "4242/t1", or "127.0.0.1:7001". */
  readonly label: string;
  /** "process", "cluster worker 2", "worker thread 1", or "" when unknown. */
  readonly role: string;
  readonly server?: DiscoveredServer;
  /** Found by --discover (not named): it leaves the session when its entry does. */
  readonly discovered?: boolean;
}

export interface TargetChoice {
  /** The positional TARGET; a comma-separated list names several. */
  readonly arg?: string;
  /** Every --port given. */
  readonly ports?: readonly number[];
  readonly discover?: boolean;
  readonly discoveryDir?: string;
  readonly token?: string;
}

/**
 * True when the choice names more than one target, or asks for discovery: the
 * multi-target paths. A TARGET with one --port stays one target (the port
 * overrides the target's, as it always has).
 */
export function isMultiTarget(choice: TargetChoice): boolean {
  return choice.discover === true || (choice.ports?.length ?? 0) > 1 || (choice.arg?.includes(",") ?? false);
}

/** The one target of a single-target choice (the existing behaviour: --port overrides the target's port). */
export function singleTarget(choice: TargetChoice): URL {
  return resolveTarget(choice.arg, choice.ports?.[0], choice.token);
}

/** The targets named on the command line, in order, duplicates removed. */
export function explicitTargets(choice: TargetChoice): URL[] {
  const texts = (choice.arg ?? "")
    .split(",")
    .map((t) => t.trim())
    .filter((t) => t !== "");
  if (choice.arg !== undefined && texts.length === 0) throw new CliError(`invalid target "${choice.arg}": expected TARGET[,TARGET...]`);
  const urls = [...texts.map((t) => resolveTarget(t, undefined, choice.token)), ...(choice.ports ?? []).map((p) => resolveTarget(undefined, p, choice.token))];
  const seen = new Set<string>();
  return urls.filter((u) => !seen.has(u.host) && seen.add(u.host));
}

/** How a process introduces itself in the header of a multi-target dump or report; the script is the target's own text. */
export function processLine(target: NamedTarget): string {
  const script = target.server?.script ? `  ${target.server.script}` : "";
  return safeText(`${target.label}  ${formatTarget(target.url)}${target.role ? `  ${target.role}` : ""}${script}`, LONG_FIELD_WIDTH);
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);
const sameHost = (a: string, b: string) => a === b || (LOOPBACK.has(a) && LOOPBACK.has(b));

/** Where to connect to a discovered server: an unspecified bind address (0.0.0.0, ::) is reached on loopback. */
export function serverUrl(server: DiscoveredServer, token: string | undefined): URL {
  const host = server.host === "0.0.0.0" ? "127.0.0.1" : server.host === "::" ? "::1" : server.host;
  return resolveTarget(`http://${isIP(host) === 6 ? `[${host}]` : host}:${server.port}`, undefined, token);
}

function named(url: URL, server: DiscoveredServer | undefined): NamedTarget {
  return server ? { url, label: serverLabel(server), role: serverRole(server), server } : { url, label: url.host, role: "" };
}

/** Labels explicit targets by the discovery entry listening there, when there is one. */
export function labelTargets(urls: readonly URL[], servers: readonly DiscoveredServer[]): NamedTarget[] {
  return urls.map((url) => {
    const hostname = url.hostname.replace(/^\[|\]$/g, "");
    const port = Number(url.port);
    const server = servers.find((s) => s.port === port && (sameHost(s.host, hostname) || s.host === "0.0.0.0" || s.host === "::"));
    return named(url, server);
  });
}

/** Every live server in the discovery directory. */
export function discoveredTargets(servers: readonly DiscoveredServer[], token: string | undefined): NamedTarget[] {
  return servers.map((server) => ({ ...named(serverUrl(server, token), server), discovered: true }));
}

/** The targets of a multi-target choice: those named, then the discovered ones not already named. */
export function resolveTargets(choice: TargetChoice): NamedTarget[] {
  const servers = readDiscoveryDir(choice.discoveryDir);
  const named = labelTargets(explicitTargets(choice), servers);
  if (choice.discover) {
    const hosts = new Set(named.map((t) => t.url.host));
    for (const found of discoveredTargets(servers, choice.token)) if (!hosts.has(found.url.host)) named.push(found);
  }
  return named;
}
