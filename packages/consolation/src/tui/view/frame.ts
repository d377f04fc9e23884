/**
 * One whole frame: header, the current screen, the help window when open,
 * and the bottom line that always says how to get help.
 */
import { fit, paint } from "../term/ansi.js";
import { currentScreen } from "../state/ui-state.js";
import { renderFreersView } from "./freers-view.js";
import { renderHeader } from "./header.js";
import { helpLines, helpTitle } from "./help-text.js";
import { overlayHelp } from "./help-window.js";
import { renderProblemView } from "./problem-view.js";
import type { RenderInput } from "./render-input.js";
import { renderResourceList } from "./resource-list.js";
import { renderResourceView } from "./resource-view.js";
import { renderTaskList } from "./task-list.js";
import { renderTaskView } from "./task-view.js";
import { STYLES } from "./theme.js";

export const HELP_LINE = "For help, hit ? key";

/** Rows the header takes, which the keymap needs to know how many table rows fit. */
export function bodyHeight(input: Pick<RenderInput, "size">, headerRows: number): number {
  return Math.max(1, input.size.rows - headerRows - 1);
}

export function renderFrame(input: RenderInput): string[] {
  const { columns: width, rows: height } = input.size;
  const problems = input.data.problems();
  const header = renderHeader(input, problems);
  const body = bodyHeight(input, header.length);
  const screen = currentScreen(input.ui);
  let lines: string[];
  switch (screen.kind) {
    case "tasks":
      lines = renderTaskList(input.data.tasks(), input.ui.tasks, width, body, input.ui.filterInput);
      break;
    case "resources":
      lines = renderResourceList(input.data.resources(), input.ui.resources, width, body, input.ui.filterInput);
      break;
    case "task": {
      const detail = input.data.task(screen.key);
      const histograms = detail && input.histograms?.protocolId === detail.row.protocolId ? input.histograms : undefined;
      lines = renderTaskView(detail, histograms, screen.selected, width, body);
      break;
    }
    case "resource":
      lines = renderResourceView(input.data.resource(screen.key), screen.selected, width, body);
      break;
    case "freers":
      lines = renderFreersView(input.data, input.data.resource(screen.resourceKey), screen.freedBy, screen.selected, width, body);
      break;
    case "problems":
      lines = renderProblemView(problems, screen.selected, width, body);
      break;
  }
  let frame = [...header, ...lines];
  if (input.ui.help.open) {
    frame = overlayHelp(
      frame,
      helpTitle(screen),
      [...(input.extraHelp ?? []), ...(input.extraHelp?.length ? [""] : []), ...helpLines(screen, input.data)],
      input.ui.help.scroll,
      width,
      header.length,
      header.length + body,
    );
  }
  frame.push(fit(footer(input), width));
  return frame.slice(0, height);
}

function footer(input: RenderInput): string {
  const help = paint(HELP_LINE, STYLES.key);
  if (input.ui.filterInput !== null)
    return `${help}  ${paint("filter:", STYLES.header)} /${input.ui.filterInput}█  ${paint("(Enter keeps, Esc clears)", STYLES.dim)}`;
  if (input.ui.notice) return `${help}  ${input.ui.notice}`;
  return help;
}
