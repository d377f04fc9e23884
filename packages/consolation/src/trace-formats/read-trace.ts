/**
 * The readers' edge: streams a file, detects its format from the first lines,
 * and feeds each line to that format's parser. Events and problems go to the
 * sink as they are found; nothing else is kept.
 */
import { LONG_FIELD_WIDTH, safeText } from "@async-insight/engine";
import { createAriParser } from "./ari-reader.js";
import { createConsoleRecordingParser } from "./console-recording-reader.js";
import { DETECT_LINES, detectFormat } from "./detect-format.js";
import { createFmtParser } from "./fmt-reader.js";
import { createJsonParser } from "./json-reader.js";
import type { LineParser, ParserFactory, ReadSink } from "./line-parser.js";
import { readLines } from "./read-lines.js";
import type { TraceFormat } from "./runtime-event.js";

export const PARSERS: Record<Exclude<TraceFormat, "insight-recording">, ParserFactory> = {
  "console-recording": createConsoleRecordingParser,
  ari: createAriParser,
  fmt: createFmtParser,
  json: createJsonParser,
};

export const FORMAT_NAMES: Record<TraceFormat, string> = {
  "console-recording": "console-subscriber recording",
  "insight-recording": "insight recording",
  ari: "ari-subscriber text",
  fmt: "tracing-subscriber fmt text",
  json: "tracing-subscriber JSON",
};

/** Marks a problem that is a reader's own failure, not the file's. */
export const READER_ERROR = "reader error";

const isJsonFormat = (format: TraceFormat) => format === "json" || format === "console-recording" || format === "insight-recording";

export interface ReadResult {
  readonly format: TraceFormat | undefined;
  readonly lines: number;
  readonly bytes: number;
}

/**
 * A line feeder that buffers only until the format is known. `forced` skips
 * detection. An insight recording is not a trace: `onInsight` gets its lines.
 */
export function createTraceFeeder(given: ReadSink, forced?: TraceFormat, onInsightLine?: (text: string, line: number) => void) {
  // Problems quote the file (a bad timestamp, an unknown tag): one line each, made safe and capped, whatever the file holds.
  const sink: ReadSink = { event: (e) => given.event(e), problem: (p) => given.problem({ ...p, message: safeText(p.message, LONG_FIELD_WIDTH) }) };
  /** A reader bug must not end the whole read: the line is reported and skipped (the fuzz tests look for this message). */
  const guarded = (line: number, run: () => void) => {
    try {
      run();
    } catch (error) {
      sink.problem({ line, message: `unreadable record (${READER_ERROR}: ${error instanceof Error ? error.message : String(error)})` });
    }
  };
  let format: TraceFormat | undefined = forced;
  let lastLine = 0;
  let parser: LineParser | undefined;
  const held: { text: string; line: number }[] = [];

  const start = (chosen: TraceFormat) => {
    format = chosen;
    if (chosen !== "insight-recording") parser = PARSERS[chosen](sink);
    for (const h of held.splice(0)) deliver(h.text, h.line);
  };
  const deliver = (text: string, line: number) => {
    if (format === "insight-recording") onInsightLine?.(text, line);
    else guarded(line, () => parser!.line(text, line));
  };
  if (forced) start(forced);

  return {
    get format() {
      return format;
    },
    line(text: string, line: number, terminated: boolean) {
      lastLine = line;
      if (!terminated && !(format && isJsonFormat(format) && isCompleteJson(text))) {
        // A last line without its newline: the writer stopped mid-line.
        sink.problem({ line, message: "truncated last line (no newline at end of input); ignored", truncated: true });
        return;
      }
      if (format) {
        deliver(text, line);
        return;
      }
      held.push({ text, line });
      const guess = detectFormat(
        held.map((h) => h.text),
        held.length >= DETECT_LINES,
      );
      if (guess) start(guess);
    },
    end() {
      if (!format && held.length) {
        const guess = detectFormat(
          held.map((h) => h.text),
          true,
        );
        if (guess) start(guess);
        else for (const h of held) sink.problem({ line: h.line, message: "unrecognized line (no known trace format detected)" });
      }
      guarded(lastLine, () => parser?.end());
    },
  };
}

function isCompleteJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

export async function readTraceFile(path: string, sink: ReadSink, options: { format?: TraceFormat } = {}): Promise<ReadResult> {
  const feeder = createTraceFeeder(sink, options.format);
  const stats = await readLines(path, (text, line, terminated) => feeder.line(text, line, terminated));
  feeder.end();
  return { format: feeder.format, ...stats };
}
