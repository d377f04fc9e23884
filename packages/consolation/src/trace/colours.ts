/** One colour per instrumentation kind, as ANSI escapes; empty strings when colour is off. */
export type Paint = (kind: PaintKind, text: string) => string;
export type PaintKind = "task" | "waker" | "resource" | "async-op" | "poll-op" | "state" | "log" | "dim" | "problem";

const CODES: Record<PaintKind, string> = {
  task: "32", // green
  waker: "35", // magenta
  resource: "31", // red
  "async-op": "34", // blue
  "poll-op": "33", // yellow
  state: "36", // cyan
  log: "0",
  dim: "2",
  problem: "1;31",
};

export function painter(enabled: boolean): Paint {
  return enabled ? (kind, text) => `\x1b[${CODES[kind]}m${text}\x1b[0m` : (_kind, text) => text;
}

/** Colour unless NO_COLOR is set (any value), --no-color was given, or output is not a terminal. */
export function colourWanted(option: boolean | undefined, isTty: boolean): boolean {
  if (option === false) return false;
  if (process.env["NO_COLOR"] !== undefined && process.env["NO_COLOR"] !== "") return false;
  return option === true || isTty;
}
