// App code for adapters/undici.test.ts (CommonJS, loaded with require(), so
// its lines are the lines the adapter reports; each marked await is unique).
"use strict";

/** A GET through an undici Pool; returns the body text. */
function getThroughPool(spawn, pool, name, path) {
  return spawn(name, async () => {
    const response = await pool.request({ path, method: "GET" }); // marker: pool request
    return response.body.text();
  });
}

/** A GET through an undici Agent (undici.request with a dispatcher). */
function getThroughAgent(spawn, undici, agent, name, url) {
  return spawn(name, async () => {
    const response = await undici.request(url, { dispatcher: agent }); // marker: agent request
    return response.body.text();
  });
}

/** undici's fetch on an Agent. */
function fetchThroughAgent(spawn, undici, agent, name, url) {
  return spawn(name, async () => {
    const response = await undici.fetch(url, { dispatcher: agent }); // marker: agent fetch
    return response.text();
  });
}

module.exports = { getThroughPool, getThroughAgent, fetchThroughAgent };
