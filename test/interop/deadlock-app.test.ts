/**
 * Our client watching a real tokio app through console-subscriber. The app
 * (interop/deadlock-app) spawns named tasks over Mutex, RwLock, Semaphore,
 * Barrier, oneshot and sleep, and on SIGUSR1 two of its tasks deadlock on two
 * mutexes taken in opposite order. We attach first (the subscriber records
 * poll ops only while a console watches), trigger the deadlock, and merge
 * updates until what a deadlock view needs has arrived.
 *
 * Expected spawn and creation lines are read from the app's source, so the
 * test follows edits to main.rs instead of hard-coding line numbers.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConsoleClient, parseTarget, watchTarget, type TargetWatch } from "@async-insight/client";
import { ConsoleState } from "../support/console-state.js";
import { freePort } from "../support/free-port.js";
import { rustBin, startPeer, type Peer } from "../support/rust-peers.js";
import { waitFor } from "../support/wait-for.js";

const SOURCE_FILE = "deadlock-app/src/main.rs";
const source = readFileSync(new URL(`../../interop/${SOURCE_FILE}`, import.meta.url), "utf8").split("\n");

/** 1-based line of the only source line containing `needle`. */
function lineOf(needle: string): number {
  const hits = source.flatMap((text, i) => (text.includes(needle) ? [i + 1] : []));
  if (hits.length !== 1) throw new Error(`expected one line of ${SOURCE_FILE} to contain ${needle}, found ${hits.length}`);
  return hits[0]!;
}

const SPAWN_LINES: Record<string, number> = {
  "transfer-ledger-then-audit": lineOf('spawn_named("transfer-ledger-then-audit"'),
  "audit-audit-then-ledger": lineOf('spawn_named("audit-audit-then-ledger"'),
  "config-reader": lineOf('spawn_named("config-reader"'),
  "config-writer": lineOf('spawn_named("config-writer"'),
  "semaphore-worker-0": lineOf('spawn_named(&format!("semaphore-worker-{i}")'),
  "semaphore-worker-1": lineOf('spawn_named(&format!("semaphore-worker-{i}")'),
  "semaphore-worker-2": lineOf('spawn_named(&format!("semaphore-worker-{i}")'),
  "oneshot-waiter": lineOf('spawn_named("oneshot-waiter"'),
  "oneshot-holder": lineOf('spawn_named("oneshot-holder"'),
  ticker: lineOf('spawn_named("ticker"'),
  "deadlock-trigger": lineOf('spawn_named("deadlock-trigger"'),
};
const LEDGER_LINE = lineOf("let ledger = Arc::new(Mutex::new(");
const AUDIT_LINE = lineOf("let audit = Arc::new(Mutex::new(");

/** concrete_type as tokio names its instrumented primitives, and where each is created. */
const PUBLIC_RESOURCES: { type: string; line: number }[] = [
  { type: "Mutex", line: LEDGER_LINE },
  { type: "Mutex", line: AUDIT_LINE },
  { type: "RwLock", line: lineOf("RwLock::new(") },
  { type: "Semaphore", line: lineOf("Semaphore::new(") },
  { type: "Barrier", line: lineOf("Barrier::new(") },
  { type: "Sender|Receiver", line: lineOf("oneshot::channel") },
];

let app: Peer | undefined;
let watch: TargetWatch | undefined;
const state = new ConsoleState();
const streamErrors: string[] = [];

function context(): string {
  return [state.summary(), streamErrors.length ? `connection: ${streamErrors.join("; ")}` : "", app?.describe() ?? ""].join("\n");
}

// Generous: on a loaded 2-core CI machine console-subscriber's updates can lag by many seconds.
function wait<T>(description: string, check: () => T | undefined | false): Promise<T> {
  return waitFor(check, { description, timeoutMs: 45_000, intervalMs: 100, detail: context });
}

beforeAll(async () => {
  const port = await freePort();
  app = startPeer(rustBin("deadlock-app"), [], { TOKIO_CONSOLE_BIND: `127.0.0.1:${port}`, DEADLOCK_DELAY_MS: "600000" });
  await app.waitForPort(port);
  const client = new ConsoleClient(parseTarget(`http://127.0.0.1:${port}`));
  watch = watchTarget(client, {
    onUpdate: (update) => state.apply(update),
    onConnection: (s) => {
      if (s.status === "reconnecting") streamErrors.push(s.reason);
    },
  });
  await wait("the deadlocking tasks to appear", () => {
    const names = state.tasksByName();
    return names.has("transfer-ledger-then-audit") && names.has("audit-audit-then-ledger");
  });
  app.signal("SIGUSR1");
});

afterAll(async () => {
  watch?.stop();
  await watch?.done;
  await app?.stop();
});

describe("our client watching console-subscriber in a deadlocking tokio app", () => {
  it("receives every named task with its spawn location in main.rs", async () => {
    const byName = await wait("all named tasks", () => {
      const names = state.tasksByName();
      return Object.keys(SPAWN_LINES).every((n) => names.has(n)) && names;
    });
    for (const [name, line] of Object.entries(SPAWN_LINES)) {
      const location = byName.get(name)!.location;
      expect({ name, file: location?.file, line: location?.line }).toEqual({ name, file: SOURCE_FILE, line });
      expect(location?.column, name).toBeGreaterThan(0);
    }
  });

  it("receives resources with tokio's concrete types, kinds and creation sites", async () => {
    await wait("every public resource", () =>
      PUBLIC_RESOURCES.every((want) => [...state.resources.values()].some((r) => r.concreteType === want.type && r.location?.line === want.line)),
    );
    for (const want of PUBLIC_RESOURCES) {
      const found = [...state.resources.values()].filter((r) => r.concreteType === want.type && r.location?.line === want.line);
      expect(found.length, `${want.type} at line ${want.line}`).toBe(1);
      const [resource] = found;
      expect(resource!.location?.file).toBe(SOURCE_FILE);
      expect(resource!.kind?.kind).toEqual({ case: "other", value: "Sync" });
      expect(resource!.isInternal).toBe(false);
    }
    // The ticker's sleeps come and go every 100 ms: wait for an update that carries one.
    const sleep = await wait("a ticker Sleep", () => [...state.resources.values()].find((r) => r.concreteType === "Sleep"));
    expect(sleep.kind?.kind.case).toBe("known");
  });

  it("ties each deadlocked task, through a pending Mutex::lock, to the mutex the other holds", async () => {
    const byName = state.tasksByName();
    const transfer = byName.get("transfer-ledger-then-audit")!.id!.id;
    const audit = byName.get("audit-audit-then-ledger")!.id!.id;
    const mutexAt = (line: number) => [...state.resources.values()].find((r) => r.concreteType === "Mutex" && r.location?.line === line)?.id?.id;

    const locksOf = (task: bigint) =>
      [...state.asyncOps.values()].filter((op) => op.source === "Mutex::lock" && state.asyncOpStats.get(op.id!.id)?.taskId?.id === task);
    const pendingTargets = (task: bigint) =>
      locksOf(task)
        .filter((op) => state.asyncOpStats.get(op.id!.id)?.droppedAt === undefined)
        .map((op) => op.resourceId?.id);

    // The first lock of each task completes (its op is dropped); the second stays pending forever.
    await wait("each deadlocked task to settle on one pending Mutex::lock", () => {
      const ledger = mutexAt(LEDGER_LINE);
      const auditMutex = mutexAt(AUDIT_LINE);
      const a = pendingTargets(transfer);
      const b = pendingTargets(audit);
      return ledger && auditMutex && a.length === 1 && a[0] === auditMutex && b.length === 1 && b[0] === ledger;
    });
    const ledgerMutex = mutexAt(LEDGER_LINE)!;
    const auditMutex = mutexAt(AUDIT_LINE)!;
    expect(ledgerMutex).not.toBe(auditMutex);
    // transfer holds ledger and waits for audit; audit holds audit and waits for ledger.
    expect(pendingTargets(transfer)).toEqual([auditMutex]);
    expect(pendingTargets(audit)).toEqual([ledgerMutex]);
    // Each also took its first mutex through a lock op that completed.
    expect(locksOf(transfer).map((op) => op.resourceId?.id)).toContain(ledgerMutex);
    expect(locksOf(audit).map((op) => op.resourceId?.id)).toContain(auditMutex);
  });

  it("reports both deadlocked mutexes as locked", async () => {
    const mutexes = () => [...state.resources.values()].filter((r) => r.concreteType === "Mutex" && r.location?.file === SOURCE_FILE);
    await wait("locked=true on both mutexes", () => {
      const all = mutexes();
      return all.length === 2 && all.every((m) => state.resourceAttribute(m.id!.id, "locked") === true);
    });
    for (const mutex of mutexes()) {
      expect([mutex.location?.line, state.resourceAttribute(mutex.id!.id, "locked")]).toEqual([mutex.location?.line, true]);
      // Each tokio Mutex is built on an internal batch semaphore, linked as its child.
      const internal = [...state.resources.values()].filter((r) => r.parentResourceId?.id === mutex.id!.id);
      expect(internal.map((r) => [r.concreteType, r.isInternal])).toEqual([["Semaphore", true]]);
    }
  });

  it("receives task stats with polls for the tasks it names", async () => {
    const ticker = state.tasksByName().get("ticker")!.id!.id;
    const stats = await wait("ticker poll stats", () => {
      const s = state.taskStats.get(ticker);
      return s?.pollStats && s.pollStats.polls > 1n && s;
    });
    expect(stats.createdAt).toBeDefined();
    expect(stats.pollStats!.firstPoll).toBeDefined();
    expect(stats.wakes).toBeGreaterThan(0n);
  });
});
