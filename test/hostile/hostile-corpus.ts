/**
 * Target text written to attack whoever reads it: terminal escapes (an OSC
 * that retitles the terminal, a CSI that clears it, the one-character C1 CSI),
 * bidi overrides, BEL, CR, line breaks, XML/DOT/Mermaid metacharacters, wide
 * characters, and a 1 MB name. Served by a scripted console server as two
 * tasks deadlocked over two mutexes (so every problem output has something to
 * say about them), plus a third task with the 1 MB name.
 */
import { create } from "@bufbuild/protobuf";
import { UpdateSchema, type Update } from "@async-insight/protocol";
import { bool, fixtureClock, str, u64 } from "../web/hostile-fixture.js";

export const PIECES = [
  "\x1b]0;pwned-title\x07",
  "\x1b[2J\x1b[H",
  "\x1b[31mred",
  "\u009b2J",
  "\u0085\u009d8;;http://x\u009c",
  "\u202egnp.exe\u202c",
  "\u2066iso\u2069\u200f\u061c",
  "bell\x07",
  "\rOVERWRITTEN",
  "line\nbreak\ttab\x7f",
  `<svg onload="alert(1)">&amp;'`,
  '"\\N\\l}{ -> [label=x]',
  "#quot; ]]--> A-->B `md` %%",
  "数据库连接池👨‍👩‍👧🚀",
] as const;

export const HOSTILE_NAME_A = `alpha ${PIECES.join(" ")}`;
export const HOSTILE_NAME_B = `beta ${[...PIECES].reverse().join(" ")}`;
/** The 1 MB name: a hostile prefix, then a megabyte of wide characters. */
export const HUGE_NAME = `\x1b]2;huge\x07${"名".repeat(1 << 19)}${"x".repeat(1 << 19)}`;
export const HOSTILE_MUTEX_A = `ledger ${PIECES.slice(0, 7).join("")}`;
export const HOSTILE_MUTEX_B = `journal ${PIECES.slice(7).join("")}`;
export const HOSTILE_FILE = `src/\x1b]0;t\x07\u202e<evil>"&.rs`;

export function hostileCorpusUpdates(): Update[] {
  const { at, taskStats } = fixtureClock();
  const mutex = (name: string, holder: bigint) => ({
    createdAt: at(0),
    attributes: [
      { field: bool("locked", true) },
      { field: str("insight.name", name) },
      { field: str("insight.owners", `holder:${holder}`) },
      { field: str(`attr ${PIECES[0]}`, PIECES[5]) },
    ],
  });
  const wait = (task: bigint, reason: string) => ({
    createdAt: at(20),
    taskId: { id: task },
    attributes: [{ field: str("insight.reason", reason) }, { field: str("insight.await_line", `await ${PIECES[1]}${PIECES[10]}`) }],
  });
  const location = { file: HOSTILE_FILE, line: 10, column: 3 };
  const first = create(UpdateSchema, {
    now: at(4000),
    newMetadata: {
      metadata: [
        { id: { id: 1n }, metadata: { name: "runtime.spawn", target: "insight::task", location } },
        { id: { id: 2n }, metadata: { name: "runtime.resource", target: "insight::sync" } },
        { id: { id: 3n }, metadata: { name: "runtime.resource.async_op", target: "insight::sync", location } },
      ],
    },
    taskUpdate: {
      newTasks: [
        {
          id: { id: 1n },
          metadata: { id: 1n },
          fields: [str("task.name", HOSTILE_NAME_A), u64("task.id", 1n), str("kind", "task"), str(`note${PIECES[8]}`, PIECES.join("|"))],
          location,
        },
        { id: { id: 2n }, metadata: { id: 1n }, fields: [str("task.name", HOSTILE_NAME_B), u64("task.id", 2n), str("kind", "task")], location },
        {
          id: { id: 3n },
          metadata: { id: 1n },
          fields: [str("task.name", HUGE_NAME), u64("task.id", 3n), str("kind", "task"), str("big", HUGE_NAME)],
          location,
        },
      ],
      statsUpdate: { "1": taskStats(10), "2": taskStats(15), "3": taskStats(12) },
    },
    resourceUpdate: {
      newResources: [
        { id: { id: 10n }, metadata: { id: 2n }, concreteType: `Mutex${PIECES[3]}`, kind: { kind: { case: "other", value: "Sync" } }, location },
        { id: { id: 11n }, metadata: { id: 2n }, concreteType: "Mutex", kind: { kind: { case: "other", value: `Sync${PIECES[6]}` } }, location },
      ],
      statsUpdate: { "10": mutex(HOSTILE_MUTEX_A, 2n), "11": mutex(HOSTILE_MUTEX_B, 1n) },
    },
    asyncOpUpdate: {
      newAsyncOps: [
        { id: { id: 100n }, metadata: { id: 3n }, source: `Mutex::lock${PIECES[4]}`, resourceId: { id: 10n } },
        { id: { id: 101n }, metadata: { id: 3n }, source: "Mutex::lock", resourceId: { id: 11n } },
      ],
      statsUpdate: { "100": wait(1n, `waiting for lock held by task 2 ${PIECES[2]}`), "101": wait(2n, `waiting for lock held by task 1 ${PIECES[9]}`) },
    },
  });
  const second = create(UpdateSchema, { now: at(5000) });
  return [first, second];
}

/**
 * A tokio trace (ari-subscriber's multi-line form, seed 001's shape) whose
 * task names and event fields carry the same attacks, Debug-quoted as tracing
 * prints them (raw control bytes inside the quotes, quotes escaped).
 */
export function hostileTrace(seed: string): string {
  const quote = (text: string) => `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n").replace(/\r/g, "\\r").replace(/\t/g, "\\t")}"`;
  return seed
    .replace(/task\.name=receiver/g, `task.name=${quote(`receiver ${PIECES.join(" ")}`)}`)
    .replace(/task\.name=sender-task/g, `task.name=${quote(`sender ${HUGE_NAME.slice(0, 200_000)}`)}`);
}
