// An ordinary HTTP service built on generic-pool and async-mutex, with
// insight added the way a user adds it (issue 14): `insight.init()` when
// SERVICE_INIT=1, or started with `node --import async-insight/register`. Used by
// pool-lock-service.test.ts. The test reads this file's line numbers, so the
// awaits it checks stay on lines containing their marker comment.
//
// - POST /transfer: takes a connection, then, holding it, a second one. With
//   a pool of 2, three concurrent transfers deadlock.
// - POST /rebuild: takes the index lock and, holding it, a connection (so it
//   holds the lock forever once the pool is deadlocked).
// - GET /report: waits for the index lock.
import http from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import genericPool from "generic-pool";
import { Mutex } from "async-mutex";
import * as insight from "async-insight";

if (process.env.SERVICE_INIT === "1") insight.init();

let connections = 0;
const pool = genericPool.createPool({ create: async () => ({ id: ++connections }), destroy: async () => {} }, { max: 2, min: 0 });
const indexLock = new Mutex();

async function transfer() {
  const from = await pool.acquire(); // await: first connection
  try {
    await sleep(200); // await: settle time
    const to = await pool.acquire(); // await: second connection
    pool.release(to);
    return "moved";
  } finally {
    pool.release(from);
  }
}

async function rebuild() {
  const release = await indexLock.acquire(); // await: index lock (rebuild)
  try {
    const conn = await pool.acquire(); // await: rebuild connection
    pool.release(conn);
    return "rebuilt";
  } finally {
    release();
  }
}

async function report() {
  const text = await indexLock.runExclusive(() => "report"); // await: index lock (report)
  return text;
}

const routes = { "/transfer": transfer, "/rebuild": rebuild, "/report": report };

const server = http.createServer(async (request, response) => {
  const route = routes[request.url ?? ""];
  if (route === undefined) {
    response.writeHead(404).end();
    return;
  }
  const body = await route(); // await: route
  response.end(body);
});

server.listen(0, "127.0.0.1", async () => {
  const ready = insight.instance()?.ready;
  const address = ready ? await ready : undefined;
  process.stdout.write(`${JSON.stringify({ http: server.address().port, console: address?.port ?? 0 })}\n`);
});
