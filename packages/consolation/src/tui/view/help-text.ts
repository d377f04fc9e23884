/**
 * The `?` window's text for each screen: what the screen shows, the keys, how
 * to follow a blocked task to what blocks it and on to who can unblock it,
 * and which docs page to read next.
 */
import type { Screen } from "../state/ui-state.js";
import type { RuntimeView } from "../state/view-model.js";

const CHAIN = [
  "Following the chain",
  "  1. In the task list, pick a task whose state is blocked and press Enter.",
  "  2. The task view names the resources it waits on (a channel, a mutex…),",
  '     each with the reason on a dark red background, e.g. "waiting on channel capacity".',
  "  3. Select a resource line with ↑/↓ and press Enter: you get the tasks that",
  "     can free it (the lock holder, the permit holders, the tasks known to receive).",
  "  4. Enter on one of them opens it. If that task is itself blocked on something",
  "     the first task holds, you are looking at a cycle: press P for the problem view.",
];

const GLOBAL_KEYS = [
  "Keys everywhere",
  "  t  task list        r  resource list     P  problem view",
  "  space  pause / resume the target's updates",
  "  Esc  back one screen (or clear the filter)    ?  this help    q  quit",
];

const TABLE_KEYS = [
  "Keys in lists",
  "  ↑/↓ or k/j  move the highlight     PgUp/PgDn  a page     g/G  top / bottom",
  "  ←/→ or h/l  choose the sort column        i  invert the sort",
  "  /  filter by name, location, kind, state or field text (Enter keeps it, Esc clears)",
  "  Enter  open the highlighted row",
];

const DOCS_INDEX = "docs/problems/ (one page per problem, with remedies)";

function docsFor(data: RuntimeView, taskKey: string | undefined): string[] {
  const pages = new Set<string>();
  for (const problem of data.problems()) {
    if (taskKey === undefined || problem.tasks.some((t) => t.task.key === taskKey)) pages.add(problem.docsPage);
  }
  const lines = ["Docs"];
  for (const page of pages) lines.push(`  ${page}`);
  lines.push(`  ${DOCS_INDEX}`);
  lines.push("  A bounded channel that fills up before its receiver makes progress is");
  lines.push("  resource starvation: lower the send rate, raise the receive rate, or raise");
  lines.push("  the capacity (going unbounded trades the stall for unbounded memory).");
  return lines;
}

export function helpTitle(screen: Screen): string {
  const names: Record<Screen["kind"], string> = {
    tasks: "Task list",
    resources: "Resource list",
    task: "Task view",
    resource: "Resource view",
    freers: "Tasks that can free a resource",
    problems: "Problem view",
  };
  return `Help: ${names[screen.kind]}`;
}

export function helpLines(screen: Screen, data: RuntimeView): string[] {
  const blank = [""];
  switch (screen.kind) {
    case "tasks":
      return [
        "Every task in the target, like top lists processes. State is running (being polled),",
        "scheduled (woken, waiting for the executor), blocked (waiting on a resource the target",
        "reported), idle (waiting on nothing reported: I/O, a timer, a plain promise) or done.",
        "Bsy/Sch/Idl is the share of its lifetime busy, scheduled and idle; Recent sketches how busy it was",
        "lately. Total, Busy, Sched and Idle are times; Polls counts polls; Warn counts warnings.",
        ...blank,
        ...TABLE_KEYS,
        ...blank,
        ...CHAIN,
        ...blank,
        ...GLOBAL_KEYS,
        ...blank,
        ...docsFor(data, undefined),
      ];
    case "task":
      return [
        "One task in detail. The top says its state, where it was spawned and by whom.",
        '"Blocked at" is the await where it is stuck, file:line and that line of source.',
        '"Waiting on" lists the resources it awaits, each with the reason in words.',
        "Wakers: clones and drops of its waker, how often it was woken, how often it woke",
        "itself, who woke it last and when. The histograms show how long its polls took",
        "and how long it waited to be polled after a wake, with percentiles.",
        ...blank,
        "Keys here",
        "  ↑/↓  select a resource line     Enter  the tasks that can free that resource",
        ...blank,
        ...CHAIN,
        ...blank,
        ...GLOBAL_KEYS,
        ...blank,
        ...docsFor(data, screen.key),
      ];
    case "freers":
      return [
        "The tasks that can free the resource you came from, with their role and evidence.",
        "certain: a closed set. Lock holders and an awaited task are the only tasks",
        "that can free it; if none of them makes progress, the waiter never will.",
        "possible: tasks known to use that end (seen receiving, sending, notifying, arriving),",
        "and semaphore permit holders (a permit can be handed to a timer, and anyone may add one).",
        "Other code holding a reference could free it too, so nothing is claimed from them alone.",
        "When the target proves by garbage collection that nothing able to run can reach the",
        "resource, its known users become the only ones: then the verdict is certain.",
        ...blank,
        "Keys here",
        "  ↑/↓  select a task     Enter  open it",
        ...blank,
        ...CHAIN,
        ...blank,
        ...GLOBAL_KEYS,
        ...blank,
        ...docsFor(data, undefined),
      ];
    case "resources":
      return [
        "Every resource the target reported: mutexes, rwlocks, semaphores, channels, timers.",
        "Wait counts the tasks blocked on it now. Vis is INT for resources the runtime uses",
        "internally (e.g. the semaphore inside a Mutex) and PUB for yours.",
        ...blank,
        ...TABLE_KEYS,
        ...blank,
        ...GLOBAL_KEYS,
      ];
    case "resource":
      return [
        "One resource: its attributes, the tasks that can free it, the tasks waiting on it,",
        "and its async ops (each await on it, with the task that awaits).",
        ...blank,
        "Keys here",
        "  ↑/↓  select a task line     Enter  open that task",
        ...blank,
        ...CHAIN,
        ...blank,
        ...GLOBAL_KEYS,
      ];
    case "problems":
      return [
        "Problems the analysis found, most severe first. A deadlock (deadlock-cycle) is a set",
        "of tasks each waiting on a resource only tasks in the set can free, on certain or",
        "proven evidence: none of them can ever continue. A likely deadlock (a warning) is the",
        "same shape counting only the tasks known to use each end; it is not proven.",
        '"rests on" names the evidence. Each task is listed with the resource it awaits,',
        "where it awaits, and the docs page that explains the problem and its remedies.",
        ...blank,
        "Keys here",
        "  ↑/↓  select a problem     Enter  open its first task",
        "  D  write the cycle as a Graphviz .dot file (render it with: dot -Tsvg FILE -o cycle.svg)",
        "  M  write the cycle as a Mermaid graph (.mmd)",
        ...blank,
        ...GLOBAL_KEYS,
        ...blank,
        ...docsFor(data, undefined),
      ];
  }
}
