/**
 * What `consolation trace` does once its options are parsed.
 * register-trace.ts loads this module only when the command runs.
 */
import { LONG_FIELD_WIDTH, safeText } from "@async-insight/engine";
import type { CommandContext } from "../cli/command-context.js";
import { FORMAT_NAMES, readTraceFile } from "../trace-formats/read-trace.js";
import type { RuntimeEvent } from "../trace-formats/runtime-event.js";
import { WakeAnalysis } from "../wake-graph/wake-analysis.js";
import type { Wake } from "../wake-graph/wake-types.js";
import { colourWanted, painter } from "./colours.js";
import { formatTraceLine } from "./format-trace-line.js";
import { CliError } from "../cli/cli-error.js";

export interface TraceCommandOptions {
  task?: string[];
  waker?: boolean;
  resource?: string[];
  color?: boolean;
}

/** A task filter matches its name, tokio task id or span id. */
function matchesTask(event: RuntimeEvent, wanted: readonly string[], wake: Wake | undefined): boolean {
  const hit = (name: unknown, ...ids: unknown[]) => wanted.some((w) => w === String(name) || ids.some((id) => id !== undefined && w === String(id)));
  if (event.scope.some((s) => s.kind === "task" && hit(s.fields["task.name"], s.fields["task.id"], s.id))) return true;
  if (event.type === "waker") return hit(wake?.woken?.name, event.taskSpanId, wake?.woken?.taskId);
  return false;
}

export async function runTraceCommand(file: string, opts: TraceCommandOptions, context: CommandContext): Promise<void> {
  const paint = painter(colourWanted(opts.color, process.stdout.isTTY === true));
  let lastWake: Wake | undefined;
  const analysis = new WakeAnalysis({ onWake: (w) => (lastWake = w) });
  let shown = 0;
  let problems = 0;
  let buffer = "";
  const out = (text: string) => {
    buffer += text;
    if (buffer.length > 64 * 1024) {
      context.out(buffer);
      buffer = "";
    }
  };
  const result = await readTraceFile(file, {
    event(event) {
      lastWake = undefined;
      analysis.event(event);
      const wake = event.type === "waker" ? lastWake : undefined;
      if (opts.waker && event.type !== "waker") return;
      if (opts.task && !matchesTask(event, opts.task, wake)) return;
      if (opts.resource && !event.scope.some((s) => s.kind === "resource" && opts.resource!.some((r) => r === s.id || r === String(s.fields["concrete_type"]))))
        return;
      shown++;
      out(`${formatTraceLine(event, paint, wake)}\n`);
    },
    problem(p) {
      problems++;
      out(`${paint("problem", `${String(p.line).padStart(6)} problem: ${safeText(p.message, LONG_FIELD_WIDTH)}`)}\n`);
    },
  });
  if (result.format === undefined) throw new CliError(`${file}: no known trace format found`);
  if (result.format === "insight-recording")
    throw new CliError(`${file} is an insight recording (protocol updates, not trace events); use \`consolation replay\``);
  const report = analysis.finish();
  out(paint("dim", `— ${shown} events shown from ${result.lines} lines of ${FORMAT_NAMES[result.format]}${problems ? `, ${problems} problem lines` : ""}\n`));
  if (!report.joinable) out(paint("dim", "— this format prints no span ids: woken tasks cannot be joined to their spans, so wakes are not classified\n"));
  context.out(buffer);
}
