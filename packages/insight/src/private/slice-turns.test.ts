import { expect, it } from "vitest";
import { SliceTurns } from "./slice-turns.js";

it("grants one turn at a time, each in a later macrotask than the release before it", async () => {
  const turns = new SliceTurns();
  const order: string[] = [];
  let macrotasks = 0;
  let counting = true;
  const tick = () => {
    macrotasks++;
    if (counting) setImmediate(tick);
  };
  setImmediate(tick);
  const first = turns.acquire();
  const second = turns.acquire();
  expect(turns.waiting).toBe(2);
  const a = await first;
  order.push("a");
  const atA = macrotasks;
  let secondGranted = false;
  void second.then(() => (secondGranted = true));
  await new Promise((resolve) => setImmediate(resolve));
  expect(secondGranted).toBe(false); // a still holds the turn
  a.release();
  a.release(); // idempotent
  const b = await second;
  order.push("b");
  expect(macrotasks).toBeGreaterThan(atA);
  b.release();
  counting = false;
  expect(order).toEqual(["a", "b"]);
  expect(turns.waiting).toBe(0);
});
