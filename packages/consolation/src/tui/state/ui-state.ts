/**
 * Where the user is: which screen, what is selected, how lists are sorted and
 * filtered, whether help is open. Pure data; keys change it in input/keymap.ts.
 */
import type { FreerRole } from "@async-insight/engine";

export interface TableState {
  /** Index into the filtered, sorted rows. */
  readonly selected: number;
  /** Key of the selected row, so the highlight follows a row when the order changes. */
  readonly selectedKey: string | undefined;
  /** First visible row. */
  readonly offset: number;
  readonly sortColumn: number;
  readonly descending: boolean;
  readonly filter: string;
}

export type Screen =
  | { readonly kind: "tasks" }
  | { readonly kind: "resources" }
  /** `selected` indexes the task's wait lines. */
  | { readonly kind: "task"; readonly key: string; readonly selected: number }
  /** `selected` indexes the resource's tasks (freers, then waiters, then async ops). */
  | { readonly kind: "resource"; readonly key: string; readonly selected: number }
  /** The tasks that can free a resource, reached with Enter on a wait line. */
  | { readonly kind: "freers"; readonly resourceKey: string; readonly freedBy: readonly FreerRole[] | undefined; readonly selected: number }
  | { readonly kind: "problems"; readonly selected: number; readonly scroll: number };

export interface UiState {
  /** Screens opened with Enter/P pile up; Esc goes back one. */
  readonly stack: readonly Screen[];
  readonly tasks: TableState;
  readonly resources: TableState;
  /** Non-null while the `/` prompt is being typed. */
  readonly filterInput: string | null;
  readonly help: { readonly open: boolean; readonly scroll: number };
  /** One-line notice at the bottom (a written file, an error), cleared by the next key. */
  readonly notice: string | undefined;
}

export const TASK_SORT_DEFAULT = 5;
export const RESOURCE_SORT_DEFAULT = 0;

const table = (sortColumn: number, descending: boolean): TableState => ({
  selected: 0,
  selectedKey: undefined,
  offset: 0,
  sortColumn,
  descending,
  filter: "",
});

export function initialUiState(): UiState {
  return {
    stack: [{ kind: "tasks" }],
    tasks: table(TASK_SORT_DEFAULT, true),
    resources: table(RESOURCE_SORT_DEFAULT, false),
    filterInput: null,
    help: { open: false, scroll: 0 },
    notice: undefined,
  };
}

export function currentScreen(ui: UiState): Screen {
  return ui.stack[ui.stack.length - 1] ?? { kind: "tasks" };
}
