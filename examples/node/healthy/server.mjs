// The story's service with the bug fixed: the handler hands jobs to a worker
// task that drains the bounded channel while they are sent, and the shared
// cache lock is never held across an await. Nothing here should ever hang,
// and `consolation check` should pass it.
//
//   npx tsc -b && node examples/node/healthy/server.mjs
//   curl localhost:8001/process
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
    return [...guard.value.get("batch")];
  } finally {
    guard.release();
  }
}

// A receiver runs beside the sender, so a capacity of 1 only paces the sender.
async function processJobs(jobs) {
  const jobs_channel = new Channel(1, { name: "jobs_channel" });
  const worker = insight.spawn("job-worker", async () => {
    const done = [];
    for await (const job of jobs_channel) done.push(`${job}: ok`);
    return done;
  });
  for (const job of jobs) await jobs_channel.send(job);
  jobs_channel.close();
  return worker;
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

server.listen(Number(process.env.PORT ?? 8001), "127.0.0.1", async () => {
  const address = await console_.ready;
  console.log(`http listening on port ${server.address().port}`);
  console.log(address ? `insight console on port ${address.port}` : "insight console not running");
});
