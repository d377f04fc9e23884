/** The wake analysis as text: one block per task, then every wake with its cause. */
import { formatDuration } from "../format/duration.js";
import { formatTimestampNs } from "../readers/timestamp.js";
import type { WakeReport } from "./wake-types.js";

export function formatWakeReport(report: WakeReport): string {
  const lines: string[] = [];
  for (const t of report.tasks) {
    lines.push(`${t.task.name} [span ${t.task.spanId}${t.task.taskId ? `, task.id ${t.task.taskId}` : ""}] ${t.kind}`);
    lines.push(`  polls ${t.polls}  busy ${formatDuration(t.busyNs)}  scheduled ${formatDuration(t.scheduledNs)}${t.dropEnters ? `  (+${t.dropEnters} enter/exit to drop the finished task)` : ""}`);
    lines.push(`  wakes ${t.wakes} (self ${t.selfWakes})  waker clones ${t.wakerClones}  drops ${t.wakerDrops}  live wakers ${t.wakerClones - t.wakerDrops}`);
  }
  if (report.wakes.length) lines.push("", "wakes:");
  for (const w of report.wakes) {
    const woken = w.woken ? w.woken.name : `task span ${w.wokenSpanId}`;
    const cause = w.cause === "self" ? "self-wake" : w.cause === "task" ? `from task ${w.by?.name}` : w.cause === "outside" ? "from outside the runtime" : `undetermined${w.by ? ` (ran in ${w.by.name})` : ""}`;
    lines.push(`  line ${w.line}  ${formatTimestampNs(w.atNs).slice(11)}  ${w.op.padEnd(11)} ${woken}: ${cause}${w.certain ? "" : " (inferred)"}`);
  }
  if (!report.joinable) lines.push("", "note: this format prints no span ids, so a waker's task.id (a span id) names no task and wakes cannot be classified; use ari-subscriber or a console-subscriber recording.");
  return `${lines.join("\n")}\n`;
}
