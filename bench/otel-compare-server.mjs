// The service under load for bench/otel-compare.mjs, in one of three setups
// (SETUP) and with one of three handlers (HANDLER):
//
// - SETUP=plain: nothing loaded.
// - SETUP=otel: OpenTelemetry as a Node service usually runs it: the Node
//   tracer provider (AsyncLocalStorage context), the http instrumentation
//   (plus express's for HANDLER=express), a span around the unit of work, a
//   BatchSpanProcessor feeding an exporter that drops what it gets.
// - SETUP=insight: `init()` (no console attached by this process), the unit of
//   work run in `spawn`.
//
// - HANDLER=nothing: node:http, the unit of work awaits twice and returns JSON.
// - HANDLER=work: as nothing, but the JSON is a list of WORK_ITEMS (200) records.
// - HANDLER=express: an express 5 app with a route parameter and res.json, same unit as nothing.
//
// Prints one JSON line {http, console} once listening; exits on SIGTERM (so
// that --cpu-prof writes its profile) after printing the span count to stderr
// in the otel setup, which shows the spans were really made.
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const setup = process.env.SETUP ?? "plain";
const handler = process.env.HANDLER ?? "nothing";
const require = createRequire(import.meta.url);

let exported = 0;
/** Runs the unit of work; each setup wraps it the way its users do. */
let unit = (fn) => fn();
let ready = Promise.resolve(undefined);

if (setup === "otel") {
  const { NodeTracerProvider } = await import("@opentelemetry/sdk-trace-node");
  const { BatchSpanProcessor } = await import("@opentelemetry/sdk-trace-base");
  const { registerInstrumentations } = await import("@opentelemetry/instrumentation");
  const { HttpInstrumentation } = await import("@opentelemetry/instrumentation-http");
  const { ExpressInstrumentation } = await import("@opentelemetry/instrumentation-express");
  const exporter = {
    export(spans, done) {
      exported += spans.length;
      done({ code: 0 });
    },
    shutdown: () => Promise.resolve(),
  };
  const provider = new NodeTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter)] });
  provider.register();
  registerInstrumentations({ instrumentations: [new HttpInstrumentation(), ...(handler === "express" ? [new ExpressInstrumentation()] : [])] });
  const tracer = provider.getTracer("otel-compare");
  unit = (fn) =>
    tracer.startActiveSpan("render", async (span) => {
      try {
        return await fn();
      } finally {
        span.end();
      }
    });
} else if (setup === "insight") {
  // INSIGHT_MODULE: another build's index.js, to compare builds in one run (as bench/insight-await-cost.mjs does).
  const insight = await import(process.env.INSIGHT_MODULE ? pathToFileURL(process.env.INSIGHT_MODULE).href : "async-insight");
  const handle = insight.init({ listenPort: 0 });
  ready = handle.ready;
  unit = (fn) => insight.spawn("render", fn);
}

// Required (not imported) after the instrumentations are registered, as
// OpenTelemetry's require hooks need; the same in every setup.
const http = require("node:http");

const items = Array.from({ length: handler === "work" ? Number(process.env.WORK_ITEMS ?? 200) : 0 }, (_, i) => ({
  id: i,
  name: `item-${i}`,
  tags: ["a", "b"],
  price: i * 1.5,
}));

async function work(url) {
  await Promise.resolve();
  const parts = url.split("/");
  await new Promise((resolve) => setImmediate(resolve));
  return JSON.stringify({ ok: true, parts, at: Date.now(), items: items.map((item) => ({ ...item, at: Date.now() })) });
}

async function workObject(id) {
  await Promise.resolve();
  const n = Number(id);
  await new Promise((resolve) => setImmediate(resolve));
  return { ok: true, id: n, at: Date.now() };
}

process.on("SIGTERM", () => {
  if (setup === "otel") process.stderr.write(`spans exported: ${exported}\n`);
  process.exit(0);
});

let server;
if (handler === "express") {
  const express = require("express");
  const app = express();
  app.get("/api/items/:id", async (request, response) => {
    const body = await unit(() => workObject(request.params.id));
    response.json(body);
  });
  server = http.createServer(app);
} else {
  server = http.createServer(async (request, response) => {
    const body = await unit(() => work(request.url ?? "/"));
    response.writeHead(200, { "content-type": "application/json" });
    response.end(body);
  });
}

server.listen(0, "127.0.0.1", async () => {
  const address = await ready;
  process.stdout.write(`${JSON.stringify({ http: server.address().port, console: address?.port ?? 0 })}\n`);
});
