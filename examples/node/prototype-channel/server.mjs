// The story, in Node: an HTTP service whose endpoint spawns tasks. One task
// both sends to and receives from a bounded channel of capacity 1, so its
// second `send` waits for room that only it could make. GET /process hangs.
//
//   npx tsc -b && node examples/node/prototype-channel/server.mjs
//   curl localhost:8000/process        # never answers
//   tokio-console http://127.0.0.1:6669  (or: consolation)
//
// PORT sets the HTTP port (0 = any free port); INSIGHT_BIND (host:port) or
// INSIGHT_PORT set the console port.
import http from "node:http";
import * as insight from "async-insight";
import { Channel, Mutex } from "async-insight/sync";

const console_ = insight.init();

const cache = new Mutex(new Map(), { name: "config_cache" });

async function loadConfig() {
  const guard = await cache.lock();
  try {
    if (!guard.value.has("batch")) guard.value.set("batch", ["parse", "check", "store"]);
    return guard.value.get("batch");
  } finally {
    guard.release();
  }
}

// Enqueues every job, then drains the queue. Fine for an unbounded channel;
// with capacity 1 the second send waits forever, because the only receiver is
// this very task, parked in that send.
async function processJobs(jobs) {
  const prototype_channel = new Channel(1, { name: "prototype_channel" });
  for (const job of jobs) {
    await prototype_channel.send(job);
  }
  prototype_channel.close();
  const done = [];
  for await (const job of prototype_channel) done.push(`${job}: ok`);
  return done;
}

const server = http.createServer(async (request, response) => {
  if (request.url !== "/process") {
    response.end("try GET /process\n");
    return;
  }
  const jobs = await insight.spawn("load-config", loadConfig);
  const results = await insight.spawn("process-jobs", () => processJobs(jobs), { fields: { jobs: jobs.length } });
  response.end(`${results.join("\n")}\n`);
});

server.listen(Number(process.env.PORT ?? 8000), "127.0.0.1", async () => {
  const address = await console_.ready;
  console.log(`http listening on port ${server.address().port}`);
  console.log(address ? `insight console on port ${address.port}` : "insight console not running");
});
