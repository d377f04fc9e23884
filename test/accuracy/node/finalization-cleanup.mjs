// Healthy: a pool that cleans up with a FinalizationRegistry (user code), and
// a task that waits on a module-level notifier for its next lease; leases come
// every five seconds while the registry reclaims forgotten handles.
import { EventEmitter, once } from "node:events";
import * as insight from "async-insight";

const address = await insight.init().ready;
let reclaimed = 0;
const registry = new FinalizationRegistry(() => reclaimed++);
const leases = new EventEmitter();
setInterval(() => {
  for (let i = 0; i < 100; i++) registry.register({ handle: i }, i);
  leases.emit("lease", reclaimed);
}, 5_000);

insight.spawn("lease-waiter", async () => {
  for (;;) {
    const [count] = await once(leases, "lease");
    console.log(`lease (reclaimed ${count})`);
  }
});

// A task whose own waiter object is watched by the user's registry.
insight.spawn("watched-waiter", async () => {
  for (;;) {
    const waiter = { resolve: undefined };
    registry.register(waiter, "waiter");
    await new Promise((resolve) => {
      waiter.resolve = resolve;
      leases.once("lease", () => waiter.resolve());
    });
    console.log("watched waiter woke");
  }
});

console.log(`ready ${address?.port}`);
