// App code for adapters/ioredis.test.ts (CommonJS, loaded with require(), so
// its lines are the lines the adapter reports; each marked await is unique).
"use strict";

/** A command issued while the connection is down. */
function getWhileDown(spawn, redis, name, key) {
  return spawn(name, async () => {
    const value = await redis.get(key); // marker: offline get
    return value;
  });
}

/** A worker blocked on an empty list. */
function popJob(spawn, redis, name, list, timeoutSeconds) {
  return spawn(name, async () => {
    const job = await redis.blpop(list, timeoutSeconds); // marker: blpop
    return job;
  });
}

module.exports = { getWhileDown, popJob };
