/**
 * The one parser of a port on the command line (`--port`, `--listen-port`):
 * digits only, at most 65535. Whether 0 is allowed depends on the use: a
 * port to serve on takes 0 (the system picks one), a target's port is
 * checked again by the client, which names the 1-65535 range.
 */
import { CliError } from "./cli-error.js";

/** A commander argParser for `flag`; the error names the flag and repeats what was typed. */
export function portNumber(flag: string): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value) || Number(value) > 65535) throw new CliError(`${flag} expects a port number, got "${value}"`);
    return Number(value);
  };
}
