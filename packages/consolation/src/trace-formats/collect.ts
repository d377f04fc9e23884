/** Reads lines held in memory through the same feeder as files: for tests and small inputs. */
import type { ReadProblem, RuntimeEvent, TraceFormat } from "./runtime-event.js";
import { createTraceFeeder } from "./read-trace.js";

export interface Collected {
  readonly format: TraceFormat | undefined;
  readonly events: RuntimeEvent[];
  readonly problems: ReadProblem[];
}

/** `text` is split on newlines; a text not ending in a newline has a truncated last line. */
export function readTraceText(text: string, format?: TraceFormat): Collected {
  const events: RuntimeEvent[] = [];
  const problems: ReadProblem[] = [];
  const feeder = createTraceFeeder({ event: (e) => events.push(e), problem: (p) => problems.push(p) }, format);
  const lines = text.split("\n");
  const last = lines.pop()!;
  lines.forEach((line, i) => feeder.line(line.replace(/\r$/, ""), i + 1, true));
  if (last !== "") feeder.line(last, lines.length + 1, false);
  feeder.end();
  return { format: feeder.format, events, problems };
}
