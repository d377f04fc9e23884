// App code for adapters/pg.test.ts, in its own file so the await sites the
// adapter reports are lines of this file (the test finds them by their text:
// each marked await stays unique here). CommonJS, loaded with require(), so
// no transform moves its lines.
"use strict";

/** A task that checks a client out and keeps it until `until` settles. */
function holdClient(spawn, pool, name, until, onHeld) {
  return spawn(name, async () => {
    const client = await pool.connect();
    onHeld(client);
    await until;
    client.release();
  });
}

/** A task whose connect finds every client checked out. */
function waitForClient(spawn, pool, name) {
  return spawn(name, async () => {
    const client = await pool.connect(); // marker: waiting connect
    client.release();
    return "served";
  });
}

/** A query through pool.query() (connect, query, release inside pg-pool). */
function poolQuery(spawn, pool, name, sql) {
  return spawn(name, async () => {
    const result = await pool.query(sql); // marker: pool.query
    return result.rows;
  });
}

/**
 * The nested-acquire shape: a request holds a client and asks the same pool
 * for another. With as many requests as clients, none can go on. `stop` lets
 * the test end it.
 */
function nestedRequest(spawn, pool, name, stop) {
  return spawn(name, async () => {
    const client = await pool.connect();
    try {
      await client.query("SELECT 1");
      const inner = await Promise.race([pool.query("SELECT 2 AS two"), stop]); // marker: nested acquire
      return inner === undefined ? "stopped" : inner.rows;
    } finally {
      client.release();
    }
  });
}

/** A query on a client that is busy with another one. */
function queuedQuery(spawn, client, name) {
  return spawn(name, async () => {
    const result = await client.query("SELECT 'after' AS turn"); // marker: queued query
    return result.rows;
  });
}

module.exports = { holdClient, waitForClient, poolQuery, nestedRequest, queuedQuery };
