// The service under load for bench/insight-http.mjs. INSIGHT_MODE=plain runs
// without insight (its primitives then work uninstrumented); "insight" calls
// init(). The handler does what a small service does: takes a permit, spawns a
// task that awaits a few promises and builds a JSON reply.
import http from "node:http";
import * as insight from "async-insight";
import { Semaphore } from "async-insight/sync";

const mode = process.env.INSIGHT_MODE ?? "plain";
const handle = mode === "plain" ? undefined : insight.init({ listenPort: 0 });
const limit = new Semaphore(256, { name: "in_flight" });
// WORK_ITEMS > 0 makes the reply a list of that many records, a stand-in for
// a handler that does real work; 0 (default) is the worst case for overhead.
const items = Array.from({ length: Number(process.env.WORK_ITEMS ?? 0) }, (_, i) => ({ id: i, name: `item-${i}`, tags: ["a", "b"], price: i * 1.5 }));

async function work(url) {
  await Promise.resolve();
  const parts = url.split("/");
  await new Promise((resolve) => setImmediate(resolve));
  return JSON.stringify({ ok: true, parts, at: Date.now(), items: items.map((item) => ({ ...item, at: Date.now() })) });
}

// Exit normally on SIGTERM so --cpu-prof can write its profile.
process.on("SIGTERM", () => process.exit(0));

const server = http.createServer(async (request, response) => {
  const permit = await limit.acquire();
  try {
    const body = await insight.spawn("render", () => work(request.url ?? "/"));
    response.writeHead(200, { "content-type": "application/json" });
    response.end(body);
  } finally {
    permit.release();
  }
});

server.listen(0, "127.0.0.1", async () => {
  const address = handle ? await handle.ready : undefined;
  process.stdout.write(`${JSON.stringify({ http: server.address().port, console: address?.port ?? 0 })}\n`);
});
