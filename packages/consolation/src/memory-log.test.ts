import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startMemoryLog } from "./memory-log.js";

const dir = mkdtempSync(join(tmpdir(), "memory-log-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("CONSOLATION_MEMORY_LOG", () => {
  it("writes one line at once to the file named, with the process's figures and V8's heap spaces", () => {
    const file = join(dir, "memory.jsonl");
    const timer = startMemoryLog({ CONSOLATION_MEMORY_LOG: file }, 60_000);
    expect(timer?.hasRef()).toBe(false);
    clearInterval(timer);
    const lines = readFileSync(file, "utf8").split("\n").filter(Boolean);
    expect(lines).toHaveLength(1);
    const sample = JSON.parse(lines[0]!) as Record<string, unknown> & { spaces: Record<string, { used: number; committed: number }> };
    expect(sample["pid"]).toBe(process.pid);
    expect(sample["execArgv"]).toEqual(process.execArgv);
    expect(sample["rss"]).toBeGreaterThan(sample["heapUsed"] as number);
    expect(sample.spaces["old_space"]!.committed).toBeGreaterThanOrEqual(sample.spaces["old_space"]!.used);
    expect(Object.keys(sample.spaces)).toContain("new_space");
  });

  it("does nothing without it", () => {
    expect(startMemoryLog({})).toBeUndefined();
  });

  it("stops quietly when the file cannot be written: no error, and no timer left running", () => {
    expect(startMemoryLog({ CONSOLATION_MEMORY_LOG: join(dir, "no-such-dir", "memory.jsonl") }, 60_000)).toBeUndefined();
  });
});
