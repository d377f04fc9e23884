/**
 * An error meant for the person at the terminal: printed as one line, never
 * with a stack trace, and mapped to an exit code.
 */
export class CliError extends Error {
  override name = "CliError";
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}
