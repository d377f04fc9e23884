/** The `[TARGET]` argument and `--port N` shorthand shared by every live command. */
import { Option } from "commander";
import { parseTarget, TargetError } from "@insight/protocol/client";
import { CliError } from "./cli-error.js";

export const portOption = () =>
  new Option("-p, --port <N>", "shorthand for http://127.0.0.1:N").argParser((value: string) => {
    if (!/^\d+$/.test(value)) throw new CliError(`--port expects a number, got "${value}"`);
    return Number(value);
  });

export function resolveTarget(target: string | undefined, port: number | undefined): URL {
  try {
    return parseTarget(target, port);
  } catch (error) {
    if (error instanceof TargetError) throw new CliError(error.message);
    throw error;
  }
}
