/**
 * Soak: a host under a spawn storm of 1,000,000 short tasks while consoles
 * connect and disconnect over and over and one console never reads. The
 * host's memory stays bounded, what it retains stays under the caps, the
 * short-lived tasks it sheds are counted as drops for a watching console,
 * the console that stopped reading is ended with RESOURCE_EXHAUSTED and the
 * reason, no console stays registered once it left, and nothing is printed
 * into the host's stderr. Runs the built library (npx tsc -b first).
 */
import { create, toBinary } from "@bufbuild/protobuf";
import { InstrumentRequestSchema } from "@async-insight/protocol";
import { ConsoleClient, fetchSnapshot, parseTarget, watchTarget } from "@async-insight/client";
import { fork, type ChildProcess } from "node:child_process";
import http2 from "node:http2";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";

const HOST = fileURLToPath(new URL("./fixtures/soak-host.mjs", import.meta.url));
const STORM = 1_000_000;
const HELD = 3000;
const MB = 1024 * 1024;

interface Report {
  heapUsed: number;
  rss: number;
  tasks: number;
  resources: number;
  ops: number;
  consoles: number;
}

let host: ChildProcess | undefined;
let stderr = "";
afterAll(() => void host?.kill("SIGKILL"));

let nextId = 1;
const waiting = new Map<number, (reply: unknown) => void>();

/** One request to the host; replies are matched by id (requests overlap). */
function ask<T>(message: object): Promise<T> {
  const id = nextId++;
  return new Promise((resolve) => {
    waiting.set(id, resolve as (reply: unknown) => void);
    host!.send({ ...message, id });
  });
}

it(`keeps the host bounded through ${STORM.toLocaleString("en")} short tasks, console churn and a console that never reads`, async () => {
  host = fork(HOST, [], { execArgv: ["--expose-gc"], stdio: ["ignore", "ignore", "pipe", "ipc"] });
  host.stderr!.on("data", (chunk) => (stderr += chunk));
  const { port } = await new Promise<{ port: number }>((resolve) => host!.once("message", (m) => resolve(m as { port: number })));
  host.on("message", (reply: { id?: number }) => {
    const resolve = reply.id === undefined ? undefined : waiting.get(reply.id);
    waiting.delete(reply.id ?? 0);
    resolve?.(reply);
  });
  const target = parseTarget(`http://127.0.0.1:${port}`);
  await ask({ cmd: "hold", count: HELD });
  const before = await ask<Report>({ cmd: "report" });

  // A console that opens WatchUpdates and never reads a byte.
  const session = http2.connect(`http://127.0.0.1:${port}`);
  session.on("error", () => {});
  const slow = session.request({
    ":method": "POST",
    ":path": "/rs.tokio.console.instrument.Instrument/WatchUpdates",
    "content-type": "application/grpc+proto",
    te: "trailers",
  });
  slow.on("error", () => {});
  const request = toBinary(InstrumentRequestSchema, create(InstrumentRequestSchema));
  slow.end(Buffer.concat([Buffer.from([0, 0, 0, 0, request.length]), request]));
  slow.pause();
  let slowTrailers: http2.IncomingHttpHeaders = {};
  slow.on("trailers", (t) => (slowTrailers = t));

  // A console that watches throughout, summing the drops it is told about.
  let droppedTasks = 0n;
  let watchedUpdates = 0;
  const watcher = watchTarget(new ConsoleClient(target), {
    onUpdate: (update) => {
      watchedUpdates++;
      droppedTasks += update.taskUpdate?.droppedEvents ?? 0n;
    },
  });

  // Consoles that come and go for as long as the storm lasts.
  let storming = true;
  let cycles = 0;
  const churn = (async () => {
    while (storming) {
      await fetchSnapshot(new ConsoleClient(target), { timeoutMs: 30_000 });
      const brief = watchTarget(new ConsoleClient(target), { onUpdate: () => {} });
      await new Promise((resolve) => setTimeout(resolve, 100));
      brief.stop();
      await brief.done;
      cycles++;
    }
  })();

  const samples: Report[] = [];
  const sampling = (async () => {
    while (storming) {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      if (storming) samples.push(await ask<Report>({ cmd: "report" }));
    }
  })();
  await ask({ cmd: "storm", count: STORM });
  storming = false;
  await Promise.all([churn, sampling]);
  // One more publish so the watcher hears about the last drops.
  await new Promise((resolve) => setTimeout(resolve, 300));
  watcher.stop();
  await watcher.done;
  await ask({ cmd: "release" });
  await new Promise((resolve) => setTimeout(resolve, 300));
  const after = await ask<Report>({ cmd: "report" });

  slow.resume();
  await new Promise((resolve) => (slow.closed ? resolve(undefined) : slow.once("close", resolve)));
  session.close();

  const peakHeap = Math.max(...samples.map((s) => s.heapUsed), after.heapUsed);
  console.info(
    `soak: heap after GC ${(before.heapUsed / MB).toFixed(0)} MB before, peak ${(peakHeap / MB).toFixed(0)} MB, ${(after.heapUsed / MB).toFixed(0)} MB after; ` +
      `peak rss ${(Math.max(...samples.map((s) => s.rss)) / MB).toFixed(0)} MB; retained tasks at most ${Math.max(...samples.map((s) => s.tasks))}; ` +
      `${droppedTasks} task drops counted over ${watchedUpdates} updates; ${cycles} console cycles; slow console: ${decodeURIComponent(String(slowTrailers["grpc-message"])).slice(0, 40)}...`,
  );
  // Memory: bounded, not growing with the number of tasks spawned.
  expect(peakHeap, `heap after GC peaked at ${(peakHeap / MB).toFixed(0)} MB`).toBeLessThan(before.heapUsed + 120 * MB);
  expect(after.heapUsed, `heap after GC ended at ${(after.heapUsed / MB).toFixed(0)} MB`).toBeLessThan(before.heapUsed + 60 * MB);
  // What insight retains is capped: 10,000 finished tasks (enforced each
  // publish), the 200 short-lived ones one interval may add before the next,
  // the held tasks and main, and at most one storm batch (5,000) in flight.
  for (const s of [...samples, after]) expect(s.tasks).toBeLessThanOrEqual(10_000 + 200 + HELD + 1 + 5000);
  // Drops were counted and told to the console that watched.
  expect(watchedUpdates).toBeGreaterThan(10);
  expect(droppedTasks).toBeGreaterThan(BigInt(STORM / 2));
  // The console that never read was ended with the reason, not OK.
  expect(slowTrailers["grpc-status"]).toBe("8");
  // Which limit ends it first depends on how fast the storm lets the host
  // publish: 64 queued updates, or 30 s without taking a byte.
  expect(decodeURIComponent(String(slowTrailers["grpc-message"]))).toMatch(
    /^(this console fell behind: it had not taken 64 updates|the client took nothing for 30 s; the call was ended)/,
  );
  // Churn happened, and every console that left is gone from the host.
  expect(cycles).toBeGreaterThan(3);
  expect(after.consoles).toBe(0);
  expect(stderr).toBe("");
}, 240_000);
