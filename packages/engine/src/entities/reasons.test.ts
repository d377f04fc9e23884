import { expect, it } from "vitest";
import { directionForSource, reasonForSource } from "./reasons.js";

it("reads insight's awaits of any promise as waits with no side", () => {
  expect(
    ["Promise::await", "Timer::await", "Fetch::await", "Fs::await", "EventEmitter::await"].map((s) => [directionForSource(s), reasonForSource(s)]),
  ).toEqual(Array.from({ length: 5 }, () => ["other", "waiting for a promise"]));
  // tokio's oneshot receiver keeps its meaning.
  expect([directionForSource("Receiver::await"), reasonForSource("Receiver::await")]).toEqual(["recv", "waiting for a value"]);
});
