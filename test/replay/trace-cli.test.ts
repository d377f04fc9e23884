/** The reading commands on seed 001's trace and on bad input, through the built binary. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { expectOneLineError, runCli } from "../cli/run-cli.js";

const SEED = fileURLToPath(new URL("../../packages/consolation/src/trace-formats/testdata/seed-001-multiline.txt", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "insight-trace-cli-"));

describe("consolation trace / wakes / timeline", () => {
  it("prints span ids and the wake causes, colour only when asked", async () => {
    const plain = await runCli(["trace", SEED]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).not.toContain("\x1b[");
    expect(plain.stdout).toMatch(/waker\.wake_by_ref receiver\[2251799813685250\] \(self-wake\)/);
    expect(plain.stdout).toMatch(/waker\.wake receiver\[2251799813685250\] from sender-task\[2251799813685251\]/);
    expect(plain.stdout).toMatch(/waker\.wake receiver\[2251799813685250\] from outside the runtime/);
    const coloured = await runCli(["trace", SEED, "--color"]);
    expect(coloured.stdout).toContain("\x1b[35mwaker.wake");
  });

  it("filters by task and to waker events", async () => {
    const sender = await runCli(["trace", SEED, "--task", "sender-task"]);
    expect(sender.stdout).not.toMatch(/dummy/);
    expect(sender.stdout).toMatch(/sender-task/);
    const wakers = await runCli(["trace", SEED, "--waker"]);
    expect(
      wakers.stdout
        .trim()
        .split("\n")
        .filter((l) => /waker\./.test(l)),
    ).toHaveLength(5);
  });

  it("exports the causality graph and an escaped SVG timeline", async () => {
    const dot = await runCli(["wakes", SEED, "--dot"]);
    expect(dot.stdout).toMatch(/^digraph wakes \{/);
    expect(dot.stdout).toMatch(/outside -> t2251799813685250 \[label="1"\]/);
    const svg = join(dir, "seed.svg");
    const timeline = await runCli(["timeline", SEED, "-o", svg]);
    expect(timeline.code, timeline.stderr).toBe(0);
    const text = readFileSync(svg, "utf8");
    expect(text).toContain("<svg");
    expect(text).toMatch(/wake of receiver: from sender-task/);
    expect(text).not.toMatch(/<[^>]*<[^/]/);
  });

  it("reports unreadable input in one line, and bad lines with their numbers", async () => {
    expectOneLineError(await runCli(["trace", join(dir, "missing.txt")]));
    const noise = join(dir, "noise.txt");
    writeFileSync(noise, "hello\nworld\n");
    expectOneLineError(await runCli(["wakes", noise]));
    const mixed = join(dir, "mixed.txt");
    writeFileSync(mixed, `${readFileSync(SEED, "utf8")}garbage line\n2024-06-20T15:10:06.000000Z TRACE runtime.spawn[9]{kind=task`);
    const result = await runCli(["trace", mixed, "--no-color"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/80 problem: not an ari-subscriber record/);
    expect(result.stdout).toMatch(/81 problem: truncated last line/);
  });
});
