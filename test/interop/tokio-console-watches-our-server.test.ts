/**
 * The real tokio-console (pinned, installed by `npm test` with cargo) pointed
 * at our server, run under tmux so its terminal UI can be read back. The test
 * passes when the task names we serve show up in its task list, which needs
 * our metadata, tasks, fields, stats and timestamps to all be acceptable to it.
 */
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { create } from "@bufbuild/protobuf";
import { Metadata_Kind, Metadata_Level, UpdateSchema, nanosToDuration, nanosToTimestamp, tasks } from "@async-insight/protocol";
import { startInstrumentServer, type RunningInstrumentServer } from "@async-insight/protocol/server";
import { tokioConsoleBin } from "../support/rust-peers.js";
import { scriptedSource } from "../support/scripted-source.js";
import { TmuxSession } from "../support/tmux.js";

const TASK_NAMES = ["insight-interop-task", "insight-second-task"];
const SPAWN_META = 1n;

function snapshot() {
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  const at = (agoMs: number) => nanosToTimestamp(nowNs - BigInt(agoMs) * 1_000_000n);
  return create(UpdateSchema, {
    now: at(0),
    newMetadata: {
      metadata: [
        {
          id: { id: SPAWN_META },
          metadata: {
            name: "runtime.spawn",
            target: "insight::interop",
            modulePath: "insight::interop",
            location: { file: "interop.ts", line: 1, column: 1 },
            kind: Metadata_Kind.SPAN,
            level: Metadata_Level.INFO,
            fieldNames: ["task.name"],
          },
        },
      ],
    },
    taskUpdate: {
      newTasks: TASK_NAMES.map((name, i) => ({
        id: { id: BigInt(i + 1) },
        metadata: { id: SPAWN_META },
        kind: tasks.Task_Kind.SPAWN,
        fields: [{ name: { case: "strName" as const, value: "task.name" }, value: { case: "strVal" as const, value: name }, metadataId: { id: SPAWN_META } }],
        location: { file: "src/interop.ts", modulePath: "insight::interop", line: 10 + i, column: 3 },
      })),
      statsUpdate: Object.fromEntries(
        TASK_NAMES.map((_, i) => [
          String(i + 1),
          {
            createdAt: at(5_000),
            wakes: 3n,
            wakerClones: 3n,
            wakerDrops: 2n,
            lastWake: at(100),
            pollStats: { polls: 4n, firstPoll: at(4_900), lastPollStarted: at(150), lastPollEnded: at(140), busyTime: nanosToDuration(2_000_000n) },
            scheduledTime: nanosToDuration(50_000n),
          },
        ]),
      ),
    },
  });
}

let server: RunningInstrumentServer | undefined;
let session: TmuxSession | undefined;

beforeAll(async () => {
  if (!existsSync(tokioConsoleBin)) {
    throw new Error(`tokio-console is not installed at ${tokioConsoleBin}; \`npm test\` installs it with cargo install --locked`);
  }
  server = await startInstrumentServer(scriptedSource({ updates: [snapshot()] }), { port: 0 });
});

afterAll(async () => {
  await session?.kill();
  await server?.close();
});

describe("tokio-console watching our server", () => {
  it("lists the tasks we serve by name", async () => {
    session = await TmuxSession.start(tokioConsoleBin, [`http://127.0.0.1:${server!.address.port}`], {
      width: 200,
      height: 50,
      env: { TERM: "xterm-256color", LANG: "C.UTF-8" },
    });
    const screen = await session.waitForScreen((s) => TASK_NAMES.every((name) => s.includes(name)), {
      timeoutMs: 30_000,
      description: `tokio-console to list ${TASK_NAMES.join(" and ")}`,
    });
    for (const name of TASK_NAMES) expect(screen).toContain(name);
    // The header confirms a live connection to our port and counts exactly our tasks.
    expect(screen).toMatch(new RegExp(`connection: http://127\\.0\\.0\\.1:${server!.address.port}/? \\(CONNECTED\\)`));
    expect(screen).toMatch(new RegExp(`Tasks \\(${TASK_NAMES.length}\\)`));
    expect(screen).not.toMatch(/process exited/);
  });
});
