/** What every command gets from the entry point, so tests can capture output. */
export interface CommandContext {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}
