/**
 * When the GC proof may force a full GC: only while observed, only once
 * something has been idle for 3 s, at most once per interval, and for the
 * same idle tasks again only after something changed (with back-off).
 */
import { afterEach, expect, it } from "vitest";
import { now } from "./clock.js";
import { resolveOptions, type InsightOptions } from "./config.js";
import { GcProof, PROOF_IDLE_MS } from "./gc-proof.js";
import { installRuntime, Runtime } from "./runtime.js";

afterEach(() => installRuntime(undefined));

async function sweepDone(proof: GcProof): Promise<void> {
  while (proof.sweeping) await new Promise((resolve) => setTimeout(resolve, 5));
}

function setup(options: InsightOptions = {}, environment: NodeJS.ProcessEnv = {}) {
  // A test worker's heap can be big; the heap limit has its own test below.
  const rt = new Runtime(resolveOptions({ proofInterval: 30_000, proofMaxHeapMb: 4096, ...options }, environment));
  let observed = true;
  const proof = new GcProof(rt, () => observed);
  const idle = rt.createTask("idle", "task", {}, undefined, undefined);
  const start = now();
  rt.poll(idle, start, start + 1);
  return { rt, proof, start, setObserved: (value: boolean) => (observed = value) };
}

it("sweeps once a task has been idle for 3 s while observed, then not again within the interval", async () => {
  const { proof, start, setObserved } = setup();
  expect(proof.maybeSweep(start + PROOF_IDLE_MS - 100)).toBe(false);
  setObserved(false);
  expect(proof.maybeSweep(start + PROOF_IDLE_MS + 100)).toBe(false);
  setObserved(true);
  expect(proof.maybeSweep(start + PROOF_IDLE_MS + 100)).toBe(true);
  // Already sweeping, then within the interval.
  expect(proof.maybeSweep(start + PROOF_IDLE_MS + 200)).toBe(false);
  await sweepDone(proof);
  expect(proof.lastPauseMs).toBeGreaterThanOrEqual(0);
  expect(proof.maybeSweep(start + PROOF_IDLE_MS + 100 + 29_000)).toBe(false);
});

it("does not sweep the same idle tasks again unless something changed, and then backs off", async () => {
  const { rt, proof, start } = setup();
  const swept = start + PROOF_IDLE_MS + 100;
  expect(proof.maybeSweep(swept)).toBe(true);
  await sweepDone(proof);
  // Nothing changed: no GC, however long.
  expect(proof.maybeSweep(swept + 10 * 60_000)).toBe(false);
  // A task came and went: the same idle task is worth one more look, after the interval...
  rt.completeTask(rt.createTask("short", "task", {}, undefined, undefined));
  expect(proof.maybeSweep(swept + 31_000)).toBe(true);
  await sweepDone(proof);
  rt.completeTask(rt.createTask("short", "task", {}, undefined, undefined));
  // ...and the next only after twice the interval.
  expect(proof.maybeSweep(swept + 31_000 + 31_000)).toBe(false);
  expect(proof.maybeSweep(swept + 31_000 + 61_000)).toBe(true);
});

it("never sweeps with proof off, by option or by INSIGHT_PROOF=off", () => {
  for (const { proof, start } of [setup({ proof: "off" }), setup({}, { INSIGHT_PROOF: "off" })]) {
    expect(proof.maybeSweep(start + 60_000)).toBe(false);
  }
});

it("forces no GC while the heap is over proofMaxHeapMb (a big heap's pause would stall the host)", async () => {
  // The test process's heap is far over 1 MB, so no GC may be forced; with the default limit it may.
  const over = setup({ proofMaxHeapMb: 1 });
  expect(over.proof.maybeSweep(over.start + PROOF_IDLE_MS + 100)).toBe(false);
  const env = setup({ proofMaxHeapMb: undefined }, { INSIGHT_PROOF_MAX_HEAP_MB: "1" });
  expect(env.proof.maybeSweep(env.start + PROOF_IDLE_MS + 100)).toBe(false);
  const within = setup({ proofMaxHeapMb: 4096 });
  expect(within.proof.maybeSweep(within.start + PROOF_IDLE_MS + 100)).toBe(true);
  await sweepDone(within.proof);
});

it("watches the app's own GCs only while observed and there is something to prove", async () => {
  const { rt, proof, start, setObserved } = setup();
  const [idle] = [...rt.tasks.values()];
  // Idle for less than 3 s: no candidate yet, so no GC is watched.
  proof.maybeSweep(start + PROOF_IDLE_MS - 100);
  expect(proof.watchingGcs).toBe(false);
  setObserved(false);
  proof.maybeSweep(start + PROOF_IDLE_MS + 100);
  expect(proof.watchingGcs).toBe(false);
  setObserved(true);
  expect(proof.maybeSweep(start + PROOF_IDLE_MS + 100)).toBe(true);
  expect(proof.watchingGcs).toBe(true);
  await sweepDone(proof);
  // The candidate ended: nothing to prove, nothing watched.
  rt.completeTask(idle!);
  proof.maybeSweep(start + PROOF_IDLE_MS + 200);
  expect(proof.watchingGcs).toBe(false);
  // A primitive collected while a task still waits on it: a check settles it, so GCs are watched again.
  const waiter = rt.createTask("waiter", "task", {}, undefined, undefined);
  const resource = rt.createResource("Mutex", false, undefined, { describe: () => ({}) }, setup, undefined);
  rt.createOp(resource, "Mutex::lock", "waiting for the lock", undefined, waiter);
  rt.collected(resource);
  proof.maybeSweep(start + PROOF_IDLE_MS + 300);
  expect([resource.collected, proof.watchingGcs]).toEqual([true, true]);
  proof.stop();
  expect(proof.watchingGcs).toBe(false);
});
