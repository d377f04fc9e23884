/** Valid lines of every format the readers take, for the fuzzers to mutate. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const at = (n: number) => `{"secs_since_epoch":1700000000,"nanos_since_epoch":${n}}`;

export const SAMPLES = {
  ari: [
    '2026-01-02T03:04:05.000100Z TRACE runtime.spawn[7]{kind=task, task.name=pump, task.id=12, loc.file="src/pump.rs", loc.line=9, loc.col=5} new',
    '2026-01-02T03:04:05.000300Z TRACE runtime.resource[9]{concrete_type="Sleep", kind="timer"} runtime.resource.async_op[10]{source="Sleep::new_timeout"} runtime.resource.async_op.poll[11]{} runtime::resource::poll_op: op_name="poll_elapsed", is_ready=false',
    '2026-01-02T03:04:05.000400Z TRACE runtime.resource[9]{concrete_type="Sleep", kind="timer"} runtime::resource::state_update: duration=250, duration.unit="ms", duration.op="override"',
    "2026-01-02T03:04:05.000500Z DEBUG runtime.spawn[7]{kind=task, task.name=pump, task.id=12} my_app: count=3 pumped some",
    '2026-01-02T03:04:05.000600Z TRACE tokio::task::waker: op="waker.wake", task.id=7',
    ...readFileSync(fileURLToPath(new URL("../../packages/consolation/src/trace-formats/testdata/seed-001-multiline.txt", import.meta.url)), "utf8")
      .split("\n")
      .slice(0, 30),
  ],
  fmt: [
    '2026-01-02T03:04:05.000100Z TRACE runtime.spawn{kind=task task.name=pump task.id=12 loc.file="src/pump.rs"}: tokio::task: enter',
    '2026-01-02T03:04:05.000200Z TRACE runtime.spawn{kind=task task.name=pump task.id=12}: tokio::task::waker: op="waker.clone" task.id=7',
    '2026-01-02T03:04:05.000300Z TRACE runtime.resource{concrete_type="Sleep" kind="timer"}:runtime.resource.async_op{source="Sleep::new_timeout"}:runtime.resource.async_op.poll: runtime::resource::poll_op: op_name="poll_elapsed" is_ready=true',
    "2026-01-02T03:04:05.000400Z DEBUG my_app: a message: with a colon count=4",
    "2026-01-02T03:04:05.000500Z TRACE runtime.spawn{kind=task task.name=pump task.id=12}: tokio::task: close time.busy=921µs time.idle=115µs",
  ],
  json: [
    '{"timestamp":"2026-01-02T03:04:05.000100Z","level":"TRACE","fields":{"message":"enter"},"target":"tokio::task","span":{"kind":"task","task.id":12,"task.name":"pump","name":"runtime.spawn"},"spans":[{"kind":"blocking","task.id":1,"name":"runtime.spawn"}]}',
    '{"timestamp":"2026-01-02T03:04:05.000200Z","level":"TRACE","fields":{"op":"waker.wake_by_ref","task.id":7},"target":"tokio::task::waker","span":{"kind":"task","task.id":12,"task.name":"pump","name":"runtime.spawn"},"spans":[{"kind":"task","task.id":12,"task.name":"pump","name":"runtime.spawn"}]}',
  ],
  "console-recording": [
    '{"v":1}',
    `{"Spawn":{"id":18014398509481985,"at":${at(1)},"fields":[{"name":"kind","value":"task"},{"name":"task.name","value":"pump"},{"name":"task.id","value":3}]}}`,
    `{"Enter":{"id":18014398509481985,"at":${at(2)}}}`,
    `{"Waker":{"id":18014398509481985,"op":{"WakeByRef":{"self_wake":true}},"at":${at(3)}}}`,
    `{"Waker":{"id":18014398509481985,"op":"Clone","at":${at(4)}}}`,
    `{"Exit":{"id":18014398509481985,"at":${at(5)}}}`,
    `{"Close":{"id":18014398509481985,"at":${at(6)}}}`,
  ],
  "insight-recording": [
    '{"format":"insight-recording","version":1,"createdAt":"2026-01-02T03:04:05.000Z","producer":"fuzz"}',
    '{"t":"1767323045000000000","update":{"now":"2026-01-02T03:04:05Z","newMetadata":{"metadata":[{"id":{"id":"1"},"metadata":{"name":"runtime.spawn","target":"tokio::task"}}]},"taskUpdate":{"newTasks":[{"id":{"id":"1"},"metadata":{"id":"1"},"fields":[{"strName":"task.name","strVal":"pump"}]}],"statsUpdate":{"1":{"createdAt":"2026-01-02T03:04:05Z","pollStats":{"polls":"2"}}}}}}',
    '{"t":"1767323046000000000","state":{"temporality":"PAUSED"}}',
    '{"t":"1767323047000000000","restart":{}}',
    '{"t":"1767323048000000000","update":{"now":"2026-01-02T03:04:08Z","resourceUpdate":{"newResources":[{"id":{"id":"5"},"concreteType":"Mutex","kind":{"known":"TIMER"}}]}}}',
  ],
} as const;

export type SampleFormat = keyof typeof SAMPLES;
