/** The shape every format reader has: fed one line at a time, it reports events and problems. */
import type { ReadProblem, RuntimeEvent } from "./runtime-event.js";

export interface ReadSink {
  event(event: RuntimeEvent): void;
  problem(problem: ReadProblem): void;
}

export interface LineParser {
  /** `text` has no line terminator; `lineNumber` is 1-based. */
  line(text: string, lineNumber: number): void;
  /** No more input: flush anything held back (multi-line records). */
  end(): void;
}

export type ParserFactory = (sink: ReadSink) => LineParser;
