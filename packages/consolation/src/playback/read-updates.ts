/**
 * Any replayable file as a stream of protocol Updates: an insight recording
 * yields its recorded messages; a console-subscriber recording or a tokio
 * trace goes through the readers and `EventsToUpdates`.
 */
import { LONG_FIELD_WIDTH, safeText } from "@async-insight/engine";
import type { Update } from "@async-insight/protocol";
import { timestampToNanos } from "@async-insight/protocol";
import { decodeRecordingLine } from "@async-insight/protocol/recording";
import { readLines } from "../trace-formats/read-lines.js";
import { createTraceFeeder } from "../trace-formats/read-trace.js";
import type { ReadProblem, RuntimeEvent, TraceFormat } from "../trace-formats/runtime-event.js";
import { EventsToUpdates } from "./events-to-updates.js";

export interface FileUpdatesSink {
  update(update: Update, atNs: bigint): void;
  problem(problem: ReadProblem): void;
  /** Every runtime event, for consumers (wake analysis) that want more than Updates. */
  event?(event: RuntimeEvent): void;
  /** The recording marks a restart: the updates that follow come from a new process. */
  restart?(atNs: bigint): void;
  /**
   * When given, an insight recording's update lines come here undecoded (only
   * checked to be JSON with a time and an update), for a consumer that keeps
   * them and decodes each when it needs it (the replay's frame log).
   */
  updateLine?(text: string, atNs: bigint): void;
}

/** The time of an update line, when the line is JSON with `t` and `update`; undefined for any other line. */
function updateLineTime(text: string): bigint | undefined {
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof record !== "object" || record === null) return undefined;
  const { t, update } = record as Record<string, unknown>;
  return typeof t === "string" && /^\d+$/.test(t) && typeof update === "object" && update !== null ? BigInt(t) : undefined;
}

export interface ReadUpdatesResult {
  readonly format: TraceFormat | undefined;
  readonly lines: number;
}

export async function readUpdatesFromFile(path: string, sink: FileUpdatesSink, options: { intervalNs?: bigint } = {}): Promise<ReadUpdatesResult> {
  const converter = new EventsToUpdates((update) => sink.update(update, timestampToNanos(update.now) ?? 0n), options.intervalNs);
  let sawHeader = false;
  const feeder = createTraceFeeder(
    {
      event(event) {
        sink.event?.(event);
        converter.event(event);
      },
      problem: (p) => sink.problem(p),
    },
    undefined,
    (text, line) => {
      if (text.trim() === "") return;
      if (sawHeader && sink.updateLine) {
        const atNs = updateLineTime(text);
        if (atNs !== undefined) return sink.updateLine(text, atNs);
      }
      const decoded = decodeRecordingLine(text, !sawHeader);
      sawHeader = true;
      if ("error" in decoded) sink.problem({ line, message: safeText(decoded.error, LONG_FIELD_WIDTH) });
      else if ("message" in decoded && decoded.message.kind === "update") sink.update(decoded.message.update, decoded.message.atNs);
      else if ("message" in decoded && decoded.message.kind === "restart") sink.restart?.(decoded.message.atNs);
    },
  );
  const stats = await readLines(path, (text, line, terminated) => feeder.line(text, line, terminated));
  feeder.end();
  converter.flush();
  return { format: feeder.format, lines: stats.lines };
}
