// Memory of 100k live tasks: each spawned task waits on a Notify that is
// released only after measuring. Run once without insight and once with it
// (fresh processes), and report heap per live task.
//
//   npx tsc -b && node bench/insight-memory.mjs [tasks=100000]
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const tasks = Number(process.argv[2] ?? 100_000);
const self = fileURLToPath(import.meta.url);

if (process.argv[3] === "--child") {
  const variant = process.argv[4];
  const insight = await import("async-insight");
  const { Notify } = await import("async-insight/sync");
  if (variant !== "plain") insight.init({ listenPort: 0, eventBufferCapacity: tasks * 2, deep: variant === "deep" });
  const gc = globalThis.gc;
  gc();
  const before = process.memoryUsage();
  const release = new Notify({ name: "release" });
  const handles = [];
  for (let i = 0; i < tasks; i++) handles.push(insight.spawn("sleeper", () => release.notified(), { fields: { n: i } }));
  await new Promise((resolve) => setTimeout(resolve, 50));
  gc();
  const after = process.memoryUsage();
  release.notifyWaiters();
  await Promise.all(handles);
  const perTask = (after.heapUsed - before.heapUsed) / tasks;
  process.stdout.write(
    `${JSON.stringify({ variant, heapMB: (after.heapUsed - before.heapUsed) / 2 ** 20, rssMB: (after.rss - before.rss) / 2 ** 20, perTaskBytes: perTask })}\n`,
  );
  process.exit(0);
}

console.log(`| variant | heap for ${tasks} live tasks | per task | rss growth |`);
console.log("|---|---|---|---|");
for (const variant of ["plain", "insight", "deep"]) {
  const out = JSON.parse(execFileSync(process.execPath, ["--expose-gc", self, String(tasks), "--child", variant], { encoding: "utf8" }));
  console.log(`| ${variant} | ${out.heapMB.toFixed(1)} MB | ${out.perTaskBytes.toFixed(0)} B | ${out.rssMB.toFixed(1)} MB |`);
}
console.log(`(node ${process.version})`);
