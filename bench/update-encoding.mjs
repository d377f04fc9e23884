#!/usr/bin/env node
// Encoding cost of one insight delta `Update` (200 short-lived request tasks
// past the per-interval budget, 50 live tasks polled), protobuf-es's
// reflective toBinary against the hand-written encoder the server uses
// (packages/protocol/src/private/update-encoder.ts), side by side on the same
// messages. Medians over 80 rounds after 20 warm-up rounds. Run `npx tsc -b` first.
import { Runtime } from "../packages/insight/dist/private/runtime.js";
import { WireBuilder } from "../packages/insight/dist/private/wire.js";
import { resolveOptions } from "../packages/insight/dist/private/config.js";
import { toBinary } from "@bufbuild/protobuf";
import { UpdateSchema } from "../packages/protocol/dist/index.js";
import { encodeUpdate } from "../packages/protocol/dist/private/update-encoder.js";
const rt = new Runtime(resolveOptions({}, {}));
const wire = new WireBuilder(rt);
wire.delta();
const live = Array.from({ length: 50 }, (_, i) => rt.createTask(`live${i}`, "task", {}, undefined, undefined));
const t = { es: [], ours: [] };
let bytes = 0;
for (let round = 0; round < 100; round++) {
  for (let i = 0; i < 1000; i++) {
    const x = rt.createTask(i % 2 ? "GET /" : "handler", "request", {}, undefined, undefined);
    rt.poll(x, x.createdAt, x.createdAt + 0.01);
    rt.completeTask(x);
  }
  for (const x of live) rt.poll(x, x.createdAt, x.createdAt + 1);
  const u = wire.delta();
  let a = performance.now();
  bytes = toBinary(UpdateSchema, u).length;
  t.es.push(performance.now() - a);
  a = performance.now();
  encodeUpdate(u);
  t.ours.push(performance.now() - a);
}
const med = (a) =>
  a
    .slice(20)
    .sort((x, y) => x - y)[40]
    .toFixed(3);
console.log(JSON.stringify({ bytes, protobufEsMs: +med(t.es), handWrittenMs: +med(t.ours), ratio: +(med(t.es) / med(t.ours)).toFixed(1) }));
