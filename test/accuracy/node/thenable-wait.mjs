// Healthy: a task awaits a thenable (a query builder, not a native promise)
// whose then() parks the callbacks in a module-level queue; the driver runs
// the queue every five seconds.
import * as insight from "async-insight";

const address = await insight.init().ready;
const queue = [];
setInterval(() => {
  for (const run of queue.splice(0)) run();
}, 5_000);

class Query {
  constructor(sql) {
    this.sql = sql;
  }
  then(onFulfilled, onRejected) {
    queue.push(() => {
      try {
        onFulfilled?.({ rows: [this.sql.length] });
      } catch (error) {
        onRejected?.(error);
      }
    });
  }
}

insight.spawn("report-query", async () => {
  for (let n = 1; ; n++) {
    const result = await new Query(`select ${n}`);
    console.log(`rows ${result.rows[0]}`);
  }
});

// The fn returns the thenable itself.
async function again() {
  for (;;) console.log(`direct ${(await insight.spawn("direct-query", () => new Query("select 1"))).rows[0]}`);
}
void again();

console.log(`ready ${address?.port}`);
