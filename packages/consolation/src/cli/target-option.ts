/** The `[TARGET]` argument, `--port N` shorthand and `--token` shared by every live command. */
import { Option } from "commander";
import { attachToken, parseTarget, TargetError } from "@async-insight/client";
import { CliError } from "./cli-error.js";
import { portNumber } from "./port-number.js";

export const portOption = () => new Option("-p, --port <N>", "shorthand for http://127.0.0.1:N").argParser(portNumber("--port"));

/** `--port` for commands that watch several targets: repeat it for each (docs/processes.md). */
export const portsOption = () =>
  new Option("-p, --port <N>", "shorthand for http://127.0.0.1:N; repeat it to watch several targets").argParser(
    (value: string, previous: number[] | undefined) => [...(previous ?? []), portNumber("--port")(value)],
  );

/** Every process with insight that announced itself in the discovery directory. */
export const discoverOption = () => new Option("--discover", "watch every live process with insight found in the discovery directory (see docs/processes.md)");

export const discoveryDirOption = () =>
  new Option("--discovery-dir <dir>", "where --discover looks (default: INSIGHT_DISCOVERY_DIR, else <tmpdir>/insight-<uid>)");

/** The target's bearer token (a target started with init({ token }) / INSIGHT_TOKEN requires it). */
export const tokenOption = () =>
  new Option("--token <token>", "bearer token the target requires (default: CONSOLATION_TOKEN); sent as gRPC metadata authorization: Bearer <token>");

/**
 * The target URL; a ConsoleClient opened on it sends `token`, else
 * CONSOLATION_TOKEN when set, on every call.
 */
export function resolveTarget(target: string | undefined, port: number | undefined, token?: string, environment: NodeJS.ProcessEnv = process.env): URL {
  let url: URL;
  try {
    url = parseTarget(target, port);
  } catch (error) {
    if (error instanceof TargetError) throw new CliError(error.message);
    throw error;
  }
  if (token !== undefined && token.trim() === "") throw new CliError("--token is empty");
  return attachToken(url, token?.trim() ?? (environment.CONSOLATION_TOKEN?.trim() || undefined));
}
