/**
 * insight's own work runs in no task: a console connecting, its snapshot
 * being built and sent, and the publish timer must not count as polls or
 * busy time of the app's main task, in whose context init() ran. An idle
 * app's main task reads the same after every console visit.
 *
 * Runs the built dist in a child process (`npx tsc -b` first), so the
 * console's own client work is not in the app's process.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { ConsoleClient, fetchSnapshot, parseTarget } from "@async-insight/client";
import { fieldName, fieldValue, type Update } from "@async-insight/protocol";

const FIXTURE = fileURLToPath(new URL("../test-fixtures/idle-main.mjs", import.meta.url));
let app: ChildProcess | undefined;

afterAll(() => {
  app?.kill();
});

async function startApp(): Promise<number> {
  app = spawn(process.execPath, [FIXTURE], {
    cwd: fileURLToPath(new URL("../test-fixtures/", import.meta.url)),
    env: { ...process.env, INSIGHT_BIND: "", INSIGHT_PORT: "", INSIGHT_DISCOVERY: "off", NODE_DEBUG: "" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const [chunk] = (await once(app.stdout!, "data")) as [Buffer];
  return Number(chunk.toString().trim());
}

/** The main task's polls and busy time in one snapshot. */
async function mainTask(client: ConsoleClient): Promise<{ polls: bigint; busyNanos: bigint }> {
  const pieces: Update[] = await fetchSnapshot(client);
  const main = pieces.flatMap((p) => p.taskUpdate?.newTasks ?? []).find((task) => task.fields.some((f) => fieldName(f) === "kind" && fieldValue(f) === "main"));
  expect(main).toBeDefined();
  const stats = pieces.map((p) => p.taskUpdate?.statsUpdate[String(main!.id!.id)]).find((s) => s !== undefined);
  const busy = stats?.pollStats?.busyTime;
  return { polls: stats?.pollStats?.polls ?? -1n, busyNanos: busy ? busy.seconds * 1_000_000_000n + BigInt(busy.nanos) : -1n };
}

describe("consoles visiting an idle app", () => {
  it("leave its main task's polls and busy time as they were", async () => {
    const port = await startApp();
    const client = new ConsoleClient(parseTarget(String(port)));
    const first = await mainTask(client);
    const visits = [];
    for (let i = 0; i < 3; i++) visits.push(await mainTask(client));
    expect(visits).toEqual([first, first, first]);
    expect(first.polls).toBeGreaterThanOrEqual(0n);
  });
});
