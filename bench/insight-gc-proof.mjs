// The cost of insight's GC proof: the pause of the full GC it forces (see
// docs/model.md, "The GC proof in the library"). Two targets:
//   - the story (examples/node/prototype-channel): a console attaches, the
//     deadlock forms, and insight proves process-jobs stuck on its own
//     schedule (idle 3 s, then a sweep); the pause is read from its
//     NODE_DEBUG=insight line;
//   - an app holding a ~200 MB heap of live objects with one stuck task,
//     swept directly several times, next to what v8.queryObjects() would cost.
//
//   npx tsc -b && node bench/insight-gc-proof.mjs [heapMB=200] [sweeps=5]
import { spawn } from "node:child_process";
import { once } from "node:events";
import http from "node:http";
import { fileURLToPath } from "node:url";

const [heapMb = 200, sweeps = 5] = process.argv
  .slice(2)
  .filter((a) => !a.startsWith("--"))
  .map(Number);
const here = (name) => fileURLToPath(new URL(name, import.meta.url));

if (process.argv.includes("--heap-app")) await heapApp();
else await main();

async function main() {
  console.log(`node ${process.version}`);
  const story = await storyPauses(3);
  console.log(`story (examples/node/prototype-channel), ${story.length} runs: forced GC pause ${story.map((p) => `${p.toFixed(1)} ms`).join(", ")}`);
  const child = spawn(process.execPath, ["--max-old-space-size=4096", here("insight-gc-proof.mjs"), "--heap-app", String(heapMb), String(sweeps)], {
    stdio: ["ignore", "inherit", "inherit"],
  });
  await once(child, "exit");
}

/** Runs the story until insight logs its sweep; returns the pause each time. */
async function storyPauses(runs) {
  const pauses = [];
  for (let run = 0; run < runs; run++) {
    const server = spawn(process.execPath, [here("../examples/node/prototype-channel/server.mjs")], {
      env: { ...process.env, PORT: "0", INSIGHT_BIND: "127.0.0.1:0", INSIGHT_PORT: "", NODE_DEBUG: "insight" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    server.stdout.on("data", (c) => (output += c));
    server.stderr.on("data", (c) => (output += c));
    const ports = await waitFor(() => {
      const h = /http listening on port (\d+)/.exec(output);
      const c = /insight console on port (\d+)/.exec(output);
      return h && c ? { http: Number(h[1]), console: Number(c[1]) } : undefined;
    });
    const watcher = spawn(process.execPath, [here("insight-console-watch.mjs"), String(ports.console)], { stdio: ["ignore", "pipe", "inherit"] });
    http.get({ host: "127.0.0.1", port: ports.http, path: "/process" }).on("error", () => {});
    const pause = await waitFor(() => {
      const m = /gc proof: full GC paused ([\d.]+) ms; (\d+) task/.exec(output);
      return m ? Number(m[1]) : undefined;
    }, 30_000);
    pauses.push(pause);
    watcher.kill("SIGTERM");
    server.kill();
  }
  return pauses;
}

async function waitFor(fn, timeoutMs = 20_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = fn();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A process with `heapMb` MB of live objects and one stuck task, swept `sweeps` times. */
async function heapApp() {
  const insight = await import("async-insight");
  const { internalState } = await import("../packages/insight/dist/insight.js");
  const { queryObjects } = await import("node:v8");
  insight.init({ listenPort: 0 });
  // Live data shaped like an app's: many small objects and strings, all reachable.
  globalThis.ballast = [];
  while (process.memoryUsage().heapUsed < heapMb * 1e6) {
    const page = [];
    for (let i = 0; i < 1000; i++) page.push({ id: i, name: `item-${i}-${globalThis.ballast.length}`, tags: ["a", "b"], nested: { v: i } });
    globalThis.ballast.push(page);
  }
  insight.spawn("stuck", () => new Promise(() => {}));
  const { proof } = internalState();
  const pauses = [];
  let proven = 0;
  for (let i = 0; i < sweeps; i++) {
    const result = await proof.sweep();
    pauses.push(result.pauseMs);
    proven += result.proven;
  }
  const heap = (process.memoryUsage().heapUsed / 1e6).toFixed(0);
  const sorted = [...pauses].sort((a, b) => a - b);
  console.log(
    `app with a ${heap} MB heap, ${sweeps} sweeps: forced GC pause median ${sorted[Math.floor(sweeps / 2)].toFixed(0)} ms, max ${sorted.at(-1).toFixed(0)} ms (${pauses.map((p) => p.toFixed(0)).join(", ")} ms); tasks proven stuck: ${proven}`,
  );
  // For comparison: the public v8.queryObjects(), which also forces a full GC (warning silenced).
  const emitWarning = process.emitWarning;
  process.emitWarning = () => {};
  class Probe {}
  const started = performance.now();
  queryObjects(Probe, { format: "count" });
  process.emitWarning = emitWarning;
  console.log(`v8.queryObjects() on the same heap: ${(performance.now() - started).toFixed(0)} ms`);
  await insight.shutdown();
  process.exit(0);
}
