/** The wake analysis as text: one block per task, then every wake with its cause. */
import { FIELD_WIDTH, safeText } from "@async-insight/engine";
import { formatDuration } from "../format/duration.js";
import { formatTimestampNs } from "../trace-formats/timestamp.js";
import type { WakeReport } from "../wake-graph/wake-types.js";

/** Names and ids come from the trace file: untrusted, made safe and capped where printed. */
const t = (value: unknown) => safeText(String(value), FIELD_WIDTH);

export function formatWakeReport(report: WakeReport): string {
  const lines: string[] = [];
  for (const task of report.tasks) {
    lines.push(`${t(task.task.name)} [span ${t(task.task.spanId)}${task.task.taskId ? `, task.id ${t(task.task.taskId)}` : ""}] ${t(task.kind)}`);
    lines.push(
      `  polls ${task.polls}  busy ${formatDuration(task.busyNs)}  scheduled ${formatDuration(task.scheduledNs)}${task.dropEnters ? `  (+${task.dropEnters} enter/exit to drop the finished task)` : ""}`,
    );
    lines.push(
      `  wakes ${task.wakes} (self ${task.selfWakes})  waker clones ${task.wakerClones}  drops ${task.wakerDrops}  live wakers ${task.wakerClones - task.wakerDrops}`,
    );
  }
  if (report.wakes.length) lines.push("", "wakes:");
  for (const w of report.wakes) {
    const woken = w.woken ? t(w.woken.name) : `task span ${t(w.wokenSpanId)}`;
    const cause =
      w.cause === "self"
        ? "self-wake"
        : w.cause === "task"
          ? `from task ${t(w.by?.name)}`
          : w.cause === "outside"
            ? "from outside the runtime"
            : `undetermined${w.by ? ` (ran in ${t(w.by.name)})` : ""}`;
    lines.push(`  line ${w.line}  ${formatTimestampNs(w.atNs).slice(11)}  ${w.op.padEnd(11)} ${woken}: ${cause}${w.certain ? "" : " (inferred)"}`);
  }
  if (!report.joinable)
    lines.push(
      "",
      "note: this format prints no span ids, so a waker's task.id (a span id) names no task and wakes cannot be classified; use ari-subscriber or a console-subscriber recording.",
    );
  return `${lines.join("\n")}\n`;
}
