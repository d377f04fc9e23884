/**
 * Attaching a console must not stall the host: the first snapshot of a large
 * state is built across many event-loop turns, not in one. Observed from
 * outside the snapshot builder: each task carries a field whose getter notes
 * the current turn when the builder reads it. The snapshot used to be built
 * in one synchronous run (1.4 s of stall for one `dump` of an app spawning
 * 200 tasks/s, 30 s after start).
 */
import { ConsoleClient, fetchSnapshot, parseTarget } from "@async-insight/client";
import { afterAll, expect, it } from "vitest";
import * as insight from "./index.js";

const TASKS = 20_000;

afterAll(() => insight.shutdown());

it(`reads a ${TASKS.toLocaleString("en")}-task state into the first snapshot over many event-loop turns`, async () => {
  const address = await insight.init({ listenPort: 0 }).ready;
  let turn = 0;
  let counting = true;
  const tick = () => {
    turn++;
    if (counting) setImmediate(tick);
  };
  setImmediate(tick);
  let attaching = false;
  const turnsRead = new Set<number>();
  let reads = 0;
  const fields = {} as Record<string, string>;
  Object.defineProperty(fields, "probe", {
    enumerable: true,
    get() {
      if (attaching) {
        reads++;
        turnsRead.add(turn);
      }
      return "x";
    },
  });
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const handles = Array.from({ length: TASKS }, (_, i) => insight.spawn(`held-${i % 10}`, () => held, { fields }));
  // Let one publish interval pass with nobody watching, so the state is "old".
  await new Promise((resolve) => setTimeout(resolve, 1200));

  attaching = true;
  const pieces = await fetchSnapshot(new ConsoleClient(parseTarget(`http://127.0.0.1:${address!.port}`)), { timeoutMs: 60_000 });
  attaching = false;
  counting = false;
  release();
  await Promise.all(handles);

  const sent = pieces.reduce((n, p) => n + (p.taskUpdate?.newTasks.length ?? 0), 0);
  expect(sent).toBeGreaterThanOrEqual(TASKS);
  expect(reads).toBeGreaterThanOrEqual(TASKS);
  // 20,000 tasks at a few hundred per slice: far more than ten turns.
  expect(turnsRead.size).toBeGreaterThan(10);
}, 120_000);
