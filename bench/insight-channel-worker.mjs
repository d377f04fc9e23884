// One ping-pong run for bench/insight-channel.mjs, in its own process so that
// "with insight" (init, hooks) cannot leak into the other variants.
// Two tasks bounce a counter through two capacity-1 queues: every recv finds
// the queue empty and blocks, the worst case for per-wait bookkeeping.
import * as insight from "async-insight";
import { Channel } from "async-insight/sync";

const [variant, messages] = [process.argv[2], Number(process.argv[3])];

/** The baseline: the smallest correct async queue (array + waiting resolver). */
class PlainQueue {
  #items = [];
  #waiting = undefined;
  send(value) {
    const waiting = this.#waiting;
    if (waiting) {
      this.#waiting = undefined;
      waiting(value);
    } else this.#items.push(value);
    return Promise.resolve();
  }
  recv() {
    if (this.#items.length > 0) return Promise.resolve(this.#items.shift());
    return new Promise((resolve) => (this.#waiting = resolve));
  }
}

if (variant === "insight") insight.init({ listenPort: 0 });
const make = () => (variant === "plain-queue" ? new PlainQueue() : new Channel(1, { name: "ping" }));
const ping = make();
const pong = make();

const start = process.hrtime.bigint();
const a = insight.spawn("ping", async () => {
  for (let i = 0; i < messages; i++) {
    await ping.send(i);
    await pong.recv();
  }
});
const b = insight.spawn("pong", async () => {
  for (let i = 0; i < messages; i++) {
    const v = await ping.recv();
    await pong.send(v);
  }
});
await Promise.all([a, b]);
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
process.stdout.write(`${JSON.stringify({ variant, roundTrips: messages / seconds, heapMB: process.memoryUsage().heapUsed / 2 ** 20 })}\n`);
process.exit(0);
