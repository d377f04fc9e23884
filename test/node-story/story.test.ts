/**
 * The story, end to end in Node: the example service runs as its own process
 * with insight on; hitting /process hangs; a console connecting over the wire
 * must find the blocked task, its await site (file:line and the text of the
 * `send` line), the channel `prototype_channel` with the reason "waiting on
 * channel capacity", the blocked task as the only task known to use it (it
 * sent; nobody ever received), and, once the library's garbage-collection
 * proof has run, a deadlock resting on that proof.
 *
 * The child runs the built package (dist/): `npx tsc -b` first.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import http from "node:http";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fieldName, fieldValue, type Update, type FieldValue } from "@async-insight/protocol";
import { ConsoleClient, fetchSnapshot, parseTarget } from "@async-insight/client";
import { RuntimeStore } from "@async-insight/engine";
import { waitFor } from "../support/wait-for.js";

const SERVER = fileURLToPath(new URL("../../examples/node/prototype-channel/server.mjs", import.meta.url));
const SEND_LINE = "await prototype_channel.send(job);";

interface Snapshot {
  tasks: Map<bigint, { name: string; kind: string; taskId: bigint; parents: bigint[]; file?: string; line?: number }>;
  resources: Map<bigint, { type: string; attrs: Record<string, FieldValue> }>;
  ops: Map<bigint, { source: string; resource: bigint; task?: bigint; done: boolean; attrs: Record<string, FieldValue>; file?: string; line?: number }>;
}

function fieldsOf(list: readonly { name: unknown; value: unknown }[] | undefined): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (const f of (list ?? []) as Parameters<typeof fieldName>[0][]) {
    const name = fieldName(f);
    const value = fieldValue(f);
    if (name !== undefined && value !== undefined) out[name] = value;
  }
  return out;
}

function readSnapshot(pieces: Update[]): Snapshot {
  const snapshot: Snapshot = { tasks: new Map(), resources: new Map(), ops: new Map() };
  const metaLocations = new Map<bigint, { file?: string; line?: number }>();
  for (const piece of pieces) {
    for (const entry of piece.newMetadata?.metadata ?? []) {
      const loc = entry.metadata?.location;
      metaLocations.set(entry.id?.id ?? 0n, { file: loc?.file, line: loc?.line });
    }
  }
  for (const piece of pieces) {
    for (const task of piece.taskUpdate?.newTasks ?? []) {
      const fields = fieldsOf(task.fields);
      snapshot.tasks.set(task.id?.id ?? 0n, {
        name: String(fields["task.name"]),
        kind: String(fields.kind),
        taskId: BigInt(fields["task.id"] as bigint),
        parents: task.parents.map((p) => p.id),
        file: task.location?.file,
        line: task.location?.line,
      });
    }
    for (const resource of piece.resourceUpdate?.newResources ?? []) {
      const stats = piece.resourceUpdate?.statsUpdate[String(resource.id?.id)];
      snapshot.resources.set(resource.id?.id ?? 0n, {
        type: resource.concreteType,
        attrs: fieldsOf(stats?.attributes.map((a) => a.field!).filter(Boolean)),
      });
    }
    for (const op of piece.asyncOpUpdate?.newAsyncOps ?? []) {
      const stats = piece.asyncOpUpdate?.statsUpdate[String(op.id?.id)];
      const site = metaLocations.get(op.metadata?.id ?? 0n);
      snapshot.ops.set(op.id?.id ?? 0n, {
        source: op.source,
        resource: op.resourceId?.id ?? 0n,
        task: stats?.taskId?.id,
        done: stats?.droppedAt !== undefined,
        attrs: fieldsOf(stats?.attributes.map((a) => a.field!).filter(Boolean)),
        file: site?.file,
        line: site?.line,
      });
    }
  }
  return snapshot;
}

let child: ChildProcess | undefined;
let output = "";
let httpPort = 0;
let consolePort = 0;
const pending: http.ClientRequest[] = [];

beforeAll(async () => {
  child = spawn(process.execPath, [SERVER], {
    env: { ...process.env, PORT: "0", INSIGHT_BIND: "127.0.0.1:0", INSIGHT_PORT: "", TOKIO_CONSOLE_BIND: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  await waitFor(
    () => {
      const h = /http listening on port (\d+)/.exec(output);
      const c = /insight console on port (\d+)/.exec(output);
      if (h && c) {
        httpPort = Number(h[1]);
        consolePort = Number(c[1]);
        return true;
      }
      return undefined;
    },
    { timeoutMs: 20_000, description: "the example to print its ports", detail: () => output },
  );
});

afterAll(() => {
  for (const request of pending) request.destroy();
  child?.kill();
});

function hit(path: string): void {
  const request = http.get({ host: "127.0.0.1", port: httpPort, path });
  request.on("error", () => {});
  pending.push(request);
}

describe("prototype_channel story over the wire", () => {
  it("shows the blocked task, its await site, the channel and the evidence of who used it", async () => {
    hit("/process");
    const client = new ConsoleClient(parseTarget(`http://127.0.0.1:${consolePort}`));
    const snapshot = await waitFor(
      async () => {
        const s = readSnapshot(await fetchSnapshot(client));
        const op = [...s.ops.values()].find((o) => o.source === "Channel::send" && !o.done);
        // The await line arrives once the library has read the source file (asynchronously).
        return op?.attrs["insight.await_line"] !== undefined ? s : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 200, description: "a blocked Channel::send with its await line", detail: () => output },
    );

    const [channelId, channel] = [...snapshot.resources].find(([, r]) => r.attrs["insight.name"] === "prototype_channel") ?? [];
    expect(channel?.type).toBe("Channel");
    expect(channel?.attrs.capacity).toBe(1n);
    expect(channel?.attrs.len).toBe(1n);

    const op = [...snapshot.ops.values()].find((o) => o.source === "Channel::send" && !o.done)!;
    expect(op.resource).toBe(channelId);
    expect(op.attrs["insight.reason"]).toBe("send: waiting on channel capacity");
    expect(op.attrs["insight.await_line"]).toBe(SEND_LINE);
    const expectedLine =
      readFileSync(SERVER, "utf8")
        .split("\n")
        .findIndex((l) => l.includes(SEND_LINE)) + 1;
    expect(op.file).toBe(SERVER);
    expect(op.line).toBe(expectedLine);

    const blocked = snapshot.tasks.get(op.task!);
    expect(blocked?.name).toBe("process-jobs");
    expect(blocked?.kind).toBe("task");
    expect(blocked?.file).toBe(SERVER);

    // The task was spawned by the request's task.
    const parent = snapshot.tasks.get(blocked!.parents[0]!);
    expect(parent?.kind).toBe("request");
    expect(parent?.name).toBe("GET /process");

    // Owners are evidence of use: the blocked task sent into the channel, and nobody has received
    // from it (its creator is not taken for its receiver). The GC proof settles the rest.
    const owners = String(channel?.attrs["insight.owners"]).split(",").filter(Boolean);
    expect(owners).toEqual([`sender:${blocked!.taskId}`]);
  });

  it("is reported by the engine as a deadlock cycle: the task and prototype_channel", async () => {
    const client = new ConsoleClient(parseTarget(`http://127.0.0.1:${consolePort}`));
    const store = new RuntimeStore();
    // The engine confirms a cycle on a later update than the one it first appears in.
    const cycles = await waitFor(
      async () => {
        for (const piece of await fetchSnapshot(client)) store.applyUpdate(piece);
        const found = store.cycles();
        return found.length > 0 ? found : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 200, description: "the engine to report a deadlock cycle", detail: () => output },
    );
    const cycle = cycles.find((c) => c.resources.some((r) => r.label.includes("prototype_channel")));
    expect(
      cycle,
      JSON.stringify(cycles, (_, v) => (typeof v === "bigint" ? String(v) : v)),
    ).toBeDefined();
    expect(cycle!.tasks.map((t) => t.name)).toEqual(["process-jobs"]);
    // Nothing but the proof can settle it: the channel's only known user is the task itself.
    expect(cycle!.basis).toBe("proven");
    expect(cycle!.evidence).toBe("nothing that can still run can wake it");
    expect(cycle!.resources.map((r) => r.concreteType)).toEqual(["Channel"]);
    expect(cycle!.awaitLocations.some((l) => l.startsWith(`${SERVER}:`))).toBe(true);

    // The hanging request leads to the task that hangs it: awaiting the spawned task's handle is a wait.
    const processJobs = cycle!.tasks[0]!.id;
    const request = store.tasks().find((t) => t.name === "GET /process" && t.state !== "completed");
    expect(request, "the request task").toBeDefined();
    const joins = store.waitsOf(request!.id).filter((w) => w.resource?.concreteType === "JoinHandle");
    expect(joins.map((w) => w.reason)).toEqual([`waiting for task ${processJobs} process-jobs to finish`]);
    const freers = store.freersOf(joins[0]!.resource!.id);
    expect(freers.map((f) => [f.task, f.role])).toEqual([[processJobs, "task"]]);
  });
});
