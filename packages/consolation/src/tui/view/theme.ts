/** The UI's few styles in one place, so views agree on what red or dim means. */
import { COLORS, paint, type Style } from "../term/ansi.js";
import type { Severity, TaskActivity } from "../state/view-model.js";

export const STYLES = {
  title: { bold: true },
  header: { bold: true, fg: COLORS.cyan },
  sorted: { bold: true, underline: true, fg: COLORS.cyan },
  selected: { inverse: true },
  dim: { dim: true },
  label: { fg: COLORS.gray },
  key: { bold: true, fg: COLORS.yellow },
  /** The wait reason, on dark red as the story asks. */
  reason: { bg: COLORS.darkRed, fg: COLORS.brightWhite },
  banner: { bold: true, bg: COLORS.red, fg: COLORS.brightWhite },
  warnBanner: { bold: true, fg: COLORS.yellow },
  connected: { fg: COLORS.green },
  trouble: { bold: true, fg: COLORS.red },
  paused: { bold: true, fg: COLORS.yellow },
  source: { fg: COLORS.brightWhite, bold: true },
} as const satisfies Record<string, Style>;

const STATE_STYLE: Readonly<Record<TaskActivity, Style>> = {
  running: { fg: COLORS.green },
  scheduled: { fg: COLORS.yellow },
  blocked: { fg: COLORS.red },
  idle: {},
  done: { dim: true },
};

export function stateText(state: TaskActivity): string {
  return paint(state, STATE_STYLE[state]);
}

const SEVERITY_STYLE: Readonly<Record<Severity, Style>> = {
  error: { bold: true, bg: COLORS.red, fg: COLORS.brightWhite },
  warning: { bold: true, fg: COLORS.yellow },
  info: { fg: COLORS.cyan },
};

export function severityBadge(severity: Severity): string {
  return paint(` ${severity.toUpperCase()} `, SEVERITY_STYLE[severity]);
}
