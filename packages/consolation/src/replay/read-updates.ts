/**
 * Any replayable file as a stream of protocol Updates: an insight recording
 * yields its recorded messages; a console-subscriber recording or a tokio
 * trace goes through the readers and `EventsToUpdates`.
 */
import type { Update } from "@insight/protocol";
import { timestampToNanos } from "@insight/protocol";
import { decodeRecordingLine } from "@insight/protocol/recording";
import { readLines } from "../readers/read-lines.js";
import { createTraceFeeder } from "../readers/read-trace.js";
import type { ReadProblem, RuntimeEvent, TraceFormat } from "../readers/runtime-event.js";
import { EventsToUpdates } from "./events-to-updates.js";

export interface UpdateSink {
  update(update: Update, atNs: bigint): void;
  problem(problem: ReadProblem): void;
  /** Every runtime event, for consumers (wake analysis) that want more than Updates. */
  event?(event: RuntimeEvent): void;
}

export interface ReadUpdatesResult {
  readonly format: TraceFormat | undefined;
  readonly lines: number;
}

export async function readUpdates(path: string, sink: UpdateSink, options: { intervalNs?: bigint } = {}): Promise<ReadUpdatesResult> {
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
      const decoded = decodeRecordingLine(text, !sawHeader);
      sawHeader = true;
      if ("error" in decoded) sink.problem({ line, message: decoded.error });
      else if ("message" in decoded && decoded.message.kind === "update") sink.update(decoded.message.update, decoded.message.atNs);
    },
  );
  const stats = await readLines(path, (text, line, terminated) => feeder.line(text, line, terminated));
  feeder.end();
  converter.flush();
  return { format: feeder.format, lines: stats.lines };
}
