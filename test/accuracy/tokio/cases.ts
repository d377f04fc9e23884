/**
 * The tokio accuracy corpus: every scenario of interop/accuracy-tokio with
 * the verdict its code deserves, written from what the program truly does
 * (never from what the tool says), at the level the evidence contract allows
 * (docs/model.md, issue 13):
 * - a ring of tasks over Mutexes and RwLocks taken with `lock()`, `read()`,
 *   `write()` is a `deadlock-cycle`: console-subscriber shows every acquire
 *   with its task and permits, even those made before the console attached,
 *   so each lock's holder is certain;
 * - a lock held across an hour-long sleep while others queue is
 *   `lock-held-while-idle`, naming the holder and the queued tasks;
 * - a semaphore whose permits sit with tasks that sleep while others queue
 *   is `permits-held-while-idle`, naming the holders and the queued tasks
 *   (tokio does not say how many permits a semaphore has, so the holders
 *   are the tasks known to have taken permits: exactly these in the cases);
 * - a cycle through a semaphore is a `likely-deadlock`: the tasks that took
 *   its permits are known, but not whether each still holds them (tokio does
 *   not publish releases, `forget()` or `add_permits()`);
 * - a task awaiting a future nothing can wake (`std::future::pending`)
 *   holds no waker: tokio's own lost-waker proof, so it is `never-woken`.
 */
import type { TokioCase } from "./run-case.js";

const clean = "clean" as const;
const range = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

export const healthyCases: readonly TokioCase[] = [
  { name: "mutex-contention", attach: "during", verdict: clean },
  { name: "full-pipeline", attach: "during", verdict: clean },
  { name: "periodic-notify", attach: "during", verdict: clean },
  { name: "actor-oneshot", attach: "during", verdict: clean },
  { name: "fan-in", attach: "during", verdict: clean },
  { name: "fan-out", attach: "during", verdict: clean },
  { name: "timeouts", attach: "during", verdict: clean },
  { name: "released-elsewhere", attach: "during", verdict: clean },
  { name: "semaphore-workers", attach: "during", verdict: clean },
  { name: "rwlock-readers", attach: "during", verdict: clean },
  { name: "join-batches", attach: "during", verdict: clean },
  { name: "ordered-locks", attach: "during", verdict: clean },
  { name: "barrier-rounds", attach: "during", verdict: clean },
  { name: "owned-permit-handoff", attach: "during", verdict: clean },
  { name: "lock-across-short-await", attach: "during", verdict: clean },
  { name: "token-bucket", attach: "during", verdict: clean },
];

export const plantedCases: readonly TokioCase[] = [
  { name: "ring3-before-attach", attach: "before", verdict: [{ lint: "deadlock-cycle", tasks: range("ring", 3) }] },
  { name: "ring50-before-attach", attach: "before", verdict: [{ lint: "deadlock-cycle", tasks: range("ring50", 50) }] },
  { name: "abba-after-attach", attach: "after", verdict: [{ lint: "deadlock-cycle", tasks: range("abba", 2) }] },
  { name: "rwlock-mutex-cycle-before-attach", attach: "before", verdict: [{ lint: "deadlock-cycle", tasks: ["config-updater", "ledger-auditor"] }] },
  { name: "reader-cycle-before-attach", attach: "before", verdict: [{ lint: "deadlock-cycle", tasks: ["table-scanner", "index-rebuilder"] }] },
  { name: "mixed-ring5-before-attach", attach: "before", verdict: [{ lint: "deadlock-cycle", tasks: range("mixed", 5) }] },
  { name: "self-deadlock-before-attach", attach: "before", verdict: [{ lint: "deadlock-cycle", tasks: ["session-renewer"] }] },
  {
    name: "sleeper-holds-mutex-before-attach",
    attach: "before",
    verdict: [{ lint: "lock-held-while-idle", tasks: ["slow-refresher", ...range("cache-reader", 3)] }],
  },
  { name: "sleeping-reader-before-attach", attach: "before", verdict: [{ lint: "lock-held-while-idle", tasks: ["route-snapshotter", "route-updater"] }] },
  {
    name: "idle-permit-holders-before-attach",
    attach: "before",
    verdict: [{ lint: "permits-held-while-idle", tasks: [...range("conn-hog", 2), ...range("query", 3)] }],
  },
  { name: "permit-starvation-before-attach", attach: "before", verdict: [{ lint: "permits-held-while-idle", tasks: ["budget-hoarder", "big-job"] }] },
  { name: "rwlock-ring-after-attach", attach: "after", verdict: [{ lint: "deadlock-cycle", tasks: range("writer-ring", 3) }] },
  // Who holds a semaphore's permits is only known as "the tasks that took some": a likely deadlock, not a proven one.
  { name: "semaphore-mutex-cycle-before-attach", attach: "before", verdict: [{ lint: "likely-deadlock", tasks: ["limited-job", "registry-sweeper"] }] },
  // interop/deadlock-app with its ABBA deadlock formed at start, before the console attaches.
  {
    name: "deadlock-app-formed-before-attach",
    attach: "before",
    verdict: [
      { lint: "deadlock-cycle", tasks: ["transfer-ledger-then-audit", "audit-audit-then-ledger"] },
      { lint: "never-woken", tasks: ["oneshot-holder"] },
    ],
    app: { bin: "deadlock-app", env: { DEADLOCK_DELAY_MS: "0" } },
  },
];

export const tokioCases: readonly TokioCase[] = [...healthyCases, ...plantedCases];
