import { describe, expect, it } from "vitest";
import { readTraceText } from "./collect.js";
import { parseFieldList } from "./field-text.js";

const ARI = [
  '2026-01-02T03:04:05.000100Z TRACE runtime.spawn[7]{kind=task, task.name=pump, task.id=12, loc.file="src/pump.rs", loc.line=9, loc.col=5} new',
  '2026-01-02T03:04:05.000200Z TRACE runtime.spawn[7]{kind=task, task.name=pump, task.id=12, loc.file="src/pump.rs", loc.line=9, loc.col=5} enter',
  '2026-01-02T03:04:05.000300Z TRACE runtime.resource[9]{concrete_type="Sleep", kind="timer"} runtime.resource.async_op[10]{source="Sleep::new_timeout"} runtime.resource.async_op.poll[11]{} runtime::resource::poll_op: op_name="poll_elapsed", is_ready=false',
  '2026-01-02T03:04:05.000400Z TRACE runtime.resource[9]{concrete_type="Sleep", kind="timer"} runtime::resource::state_update: duration=250, duration.unit="ms", duration.op="override"',
  "2026-01-02T03:04:05.000500Z DEBUG runtime.spawn[7]{kind=task, task.name=pump, task.id=12} my_app: count=3 pumped some",
  '2026-01-02T03:04:05.000600Z TRACE tokio::task::waker: op="waker.wake", task.id=7',
  "",
].join("\n");

describe("ari-subscriber one-line form", () => {
  const read = readTraceText(ARI);

  it("detects the format and reads every record", () => {
    expect(read.format).toBe("ari");
    expect(read.problems).toEqual([]);
    expect(read.events.map((e) => e.type)).toEqual(["span", "span", "poll-op", "state-update", "log", "waker"]);
  });

  it("keeps nested scopes root first with their span ids", () => {
    const poll = read.events[2]!;
    expect(poll.scope.map((s) => `${s.kind}:${s.id}`)).toEqual(["resource:9", "async-op:10", "async-op-poll:11"]);
    expect(poll).toMatchObject({ type: "poll-op", opName: "poll_elapsed", isReady: false, line: 3 });
  });

  it("folds .op and .unit into state attributes", () => {
    expect(read.events[3]).toMatchObject({
      type: "state-update",
      target: "resource",
      attributes: [{ name: "duration", value: 250, unit: "ms", op: "override" }],
    });
  });

  it("separates event fields from the trailing message", () => {
    expect(read.events[4]).toMatchObject({ type: "log", target: "my_app", message: "pumped some", fields: { count: 3 } });
  });

  it("reads a root waker event with no scope", () => {
    expect(read.events[5]).toMatchObject({ type: "waker", op: "wake", taskSpanId: "7", scope: [] });
  });

  it("strips ANSI colours", () => {
    const coloured = readTraceText(
      "\x1b[2m2026-01-02T03:04:05.000100Z\x1b[0m \x1b[35mTRACE\x1b[0m \x1b[32mruntime.spawn[7]{kind=task}\x1b[0m \x1b[1mnew\x1b[0m\n",
    );
    expect(coloured.events).toMatchObject([{ type: "span", phase: "new", span: { id: "7" } }]);
  });
});

describe("tracing-subscriber fmt", () => {
  const FMT = [
    '2026-01-02T03:04:05.000100Z TRACE runtime.spawn{kind=task task.name=pump task.id=12 loc.file="src/pump.rs"}: tokio::task: enter',
    '2026-01-02T03:04:05.000200Z TRACE runtime.spawn{kind=task task.name=pump task.id=12}: tokio::task::waker: op="waker.clone" task.id=7',
    '2026-01-02T03:04:05.000300Z TRACE runtime.resource{concrete_type="Sleep" kind="timer"}:runtime.resource.async_op{source="Sleep::new_timeout"}:runtime.resource.async_op.poll: runtime::resource::poll_op: op_name="poll_elapsed" is_ready=true',
    "2026-01-02T03:04:05.000400Z DEBUG my_app: a message: with a colon count=4",
    "2026-01-02T03:04:05.000500Z TRACE runtime.spawn{kind=task task.name=pump task.id=12}: tokio::task: close time.busy=921µs time.idle=115µs",
    "",
  ].join("\n");
  const read = readTraceText(FMT);

  it("detects the format and names spans by their fields", () => {
    expect(read.format).toBe("fmt");
    expect(read.problems).toEqual([]);
    expect(read.events[0]).toMatchObject({ type: "span", phase: "enter", span: { id: "~task.id=12", synthetic: true, fields: { "task.name": "pump" } } });
  });

  it("keeps the woken span id as printed, unjoinable to a task", () => {
    expect(read.events[1]).toMatchObject({ type: "waker", op: "clone", taskSpanId: "7", scope: [{ id: "~task.id=12" }] });
  });

  it("reads fieldless spans in a scope and messages containing colons", () => {
    expect(read.events[2]).toMatchObject({ type: "poll-op", isReady: true });
    expect(read.events[2]!.scope.map((s) => s.kind)).toEqual(["resource", "async-op", "async-op-poll"]);
    expect(read.events[3]).toMatchObject({ type: "log", target: "my_app", message: "a message: with a colon", fields: { count: 4 }, scope: [] });
    expect(read.events[4]).toMatchObject({ type: "span", phase: "close" });
  });
});

describe("tracing-subscriber JSON", () => {
  const JSON_LINES = [
    '{"timestamp":"2026-01-02T03:04:05.000100Z","level":"TRACE","fields":{"message":"enter"},"target":"tokio::task","span":{"kind":"task","task.id":12,"task.name":"pump","name":"runtime.spawn"},"spans":[{"kind":"blocking","task.id":1,"name":"runtime.spawn"}]}',
    '{"timestamp":"2026-01-02T03:04:05.000200Z","level":"TRACE","fields":{"op":"waker.wake_by_ref","task.id":7},"target":"tokio::task::waker","span":{"kind":"task","task.id":12,"task.name":"pump","name":"runtime.spawn"},"spans":[{"kind":"task","task.id":12,"task.name":"pump","name":"runtime.spawn"}]}',
    "",
  ].join("\n");
  const read = readTraceText(JSON_LINES);

  it("uses `span` for span events, not the thread's entered spans", () => {
    expect(read.format).toBe("json");
    expect(read.events[0]).toMatchObject({ type: "span", phase: "enter", span: { id: "~task.id=12" }, scope: [{ id: "~task.id=12" }] });
  });

  it("uses `spans` as the scope of ordinary events", () => {
    expect(read.events[1]).toMatchObject({ type: "waker", op: "wake_by_ref", taskSpanId: "7", scope: [{ id: "~task.id=12" }] });
  });
});

describe("console-subscriber recordings", () => {
  const at = (n: number) => `{"secs_since_epoch":1700000000,"nanos_since_epoch":${n}}`;
  const REC = [
    '{"v":1}',
    `{"Spawn":{"id":18014398509481985,"at":${at(1)},"fields":[{"name":"kind","value":"task"},{"name":"task.name","value":"pump"},{"name":"task.id","value":3}]}}`,
    `{"Enter":{"id":18014398509481985,"at":${at(2)}}}`,
    `{"Waker":{"id":18014398509481985,"op":{"WakeByRef":{"self_wake":true}},"at":${at(3)}}}`,
    `{"Waker":{"id":18014398509481985,"op":"Clone","at":${at(4)}}}`,
    `{"Exit":{"id":18014398509481985,"at":${at(5)}}}`,
    "",
  ].join("\n");
  const read = readTraceText(REC);

  it("keeps u64 span ids exact and reads self_wake", () => {
    expect(read.format).toBe("console-recording");
    expect(read.problems).toEqual([]);
    expect(read.events[0]).toMatchObject({
      type: "span",
      phase: "new",
      atNs: 1700000000000000001n,
      span: { id: "18014398509481985", kind: "task", fields: { "task.name": "pump" } },
    });
    expect(read.events[2]).toMatchObject({ type: "waker", op: "wake_by_ref", selfWake: true, taskSpanId: "18014398509481985" });
    expect(read.events[3]).toMatchObject({ type: "waker", op: "clone" });
  });

  it("reports a truncated last line with its number and uses the rest", () => {
    const cut = `${REC.trimEnd()}\n{"Close":{"id":18014398509481985,"at":{"secs_since`;
    const partial = readTraceText(cut);
    expect(partial.events).toHaveLength(5);
    expect(partial.problems).toEqual([{ line: 7, message: expect.stringContaining("truncated"), truncated: true }]);
  });
});

describe("bad input", () => {
  it("reports bad lines with their numbers and keeps going", () => {
    const read = readTraceText(
      ['{"v":1}', "not json", `{"Frobnicate":{"id":1}}`, `{"Close":{"id":2,"at":{"secs_since_epoch":1,"nanos_since_epoch":0}}}`, ""].join("\n"),
    );
    expect(read.problems.map((p) => p.line)).toEqual([2, 3]);
    expect(read.events).toHaveLength(1);
  });

  it("reports lines of an ari trace that are not records", () => {
    const read = readTraceText(`${ARI.split("\n")[0]}\nrandom println output\n`);
    expect(read.format).toBe("ari");
    expect(read.problems).toEqual([{ line: 2, message: expect.stringContaining("not an ari-subscriber record") }]);
  });

  it("reports input in no known format line by line", () => {
    const read = readTraceText("hello\nworld\n");
    expect(read.format).toBeUndefined();
    expect(read.problems.map((p) => p.line)).toEqual([1, 2]);
  });
});

describe("field lists", () => {
  it("keeps bracketed bare values whole and u64 digits exact", () => {
    const { fields } = parseFieldList("fn=Foo<A, B>::run, task.id=18446744073709551615, name=", 0, ", ");
    expect(fields).toEqual({ fn: "Foo<A, B>::run", "task.id": "18446744073709551615", name: "" });
  });
});
