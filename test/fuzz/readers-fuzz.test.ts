/**
 * Every file reader fuzzed: valid lines of each format mutated at random
 * (cut, spliced, bytes inserted, values swapped for hostile ones) and
 * arbitrary text, through the line parsers (format forced and detected),
 * through the Update conversion into the engine's store, through the replay
 * frame log, and through the built CLI. No input may crash anything; every
 * problem is reported as one line with its line number. Bounded in runs and
 * time so `npm test` stays fast.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { RuntimeStore } from "@async-insight/engine";
import { readTraceText } from "../../packages/consolation/src/trace-formats/collect.js";
import { READER_ERROR } from "../../packages/consolation/src/trace-formats/read-trace.js";
import type { TraceFormat } from "../../packages/consolation/src/trace-formats/runtime-event.js";
import { readUpdatesFromFile } from "../../packages/consolation/src/playback/read-updates.js";
import { ReplaySource } from "../../packages/consolation/src/playback/replay-source.js";
import { runCli } from "../cli/run-cli.js";
import { SAMPLES, type SampleFormat } from "./reader-samples.js";

const dir = mkdtempSync(join(tmpdir(), "insight-fuzz-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Bounds: runs per property and wall time per property (a property stops early, without failing, at its time limit). */
const RUNS = 300;
const TIME_MS = 8_000;
const bounded = { numRuns: RUNS, interruptAfterTimeLimit: TIME_MS, markInterruptAsFailure: false } as const;

const HOSTILE_BITS = [
  '"',
  "\\",
  "{",
  "}",
  "[",
  "]",
  "=",
  ", ",
  ":",
  "\x1b[2J",
  "\u009b",
  "\u202e",
  "\0",
  "\r",
  "99999999999999999999999",
  "-1",
  "NaN",
  "1e400",
  "\ud800",
  "名",
  '{"',
  "}}}}",
  "null",
  "true",
];

/** One valid line of `format`, mutated. */
const mutatedLine = (format: SampleFormat) =>
  fc
    .tuple(
      fc.constantFrom(...SAMPLES[format]),
      fc.array(fc.tuple(fc.nat(), fc.nat({ max: 8 }), fc.oneof(fc.constantFrom(...HOSTILE_BITS), fc.string({ unit: "binary", maxLength: 6 }))), {
        maxLength: 4,
      }),
    )
    .map(([line, edits]) =>
      edits.reduce((text, [at, cut, insert]) => {
        const i = at % (text.length + 1);
        return text.slice(0, i) + insert + text.slice(i + cut);
      }, line),
    );

const anyLine = fc.oneof(fc.string({ unit: "binary", maxLength: 200 }), fc.string({ unit: "grapheme-ascii", maxLength: 80 }));

const linesOf = (format: SampleFormat) =>
  fc.array(
    fc.oneof({ weight: 6, arbitrary: mutatedLine(format) }, { weight: 2, arbitrary: fc.constantFrom(...SAMPLES[format]) }, { weight: 1, arbitrary: anyLine }),
    { minLength: 1, maxLength: 25 },
  );

const FORMATS: SampleFormat[] = ["ari", "fmt", "json", "console-recording", "insight-recording"];

/** Lines as a reader counts them: a generated "line" may itself hold line breaks. */
const physicalLines = (lines: readonly string[]) => lines.join("\n").split(/\r\n|\r|\n/).length;

function expectCleanProblems(problems: ReadonlyArray<{ line: number; message: string }>, lineCount: number): void {
  for (const p of problems) {
    // The feeder turns a reader's exception into a problem so a user's read goes on; here it is a bug.
    expect(p.message, "a reader threw").not.toContain(READER_ERROR);
    expect(p.message, "one line").not.toMatch(/[\n\r]/);
    expect(p.message.length, p.message.slice(0, 100)).toBeLessThanOrEqual(500);
    expect(p.line).toBeGreaterThanOrEqual(1);
    expect(p.line).toBeLessThanOrEqual(lineCount + 1);
  }
}

describe("line parsers", () => {
  for (const format of FORMATS) {
    if (format === "insight-recording") continue;
    it(`${format}: mutated and arbitrary lines, forced and detected, never throw`, () => {
      fc.assert(
        fc.property(linesOf(format), fc.boolean(), (lines, newlineAtEnd) => {
          const text = lines.join("\n") + (newlineAtEnd ? "\n" : "");
          for (const forced of [format as TraceFormat, undefined]) {
            const read = readTraceText(text, forced);
            expectCleanProblems(read.problems, physicalLines(lines));
            for (const e of read.events) expect(e.line).toBeGreaterThanOrEqual(1);
          }
        }),
        bounded,
      );
    });
  }
});

describe("files through readUpdatesFromFile into the engine, and the replay frame log", () => {
  for (const format of FORMATS) {
    it(`${format}: every Update converted or decoded applies to a store`, async () => {
      let file = 0;
      await fc.assert(
        fc.asyncProperty(linesOf(format), async (lines) => {
          const path = join(dir, `${format}-${file++}.txt`);
          writeFileSync(path, `${lines.join("\n")}\n`);
          const store = new RuntimeStore();
          const problems: Array<{ line: number; message: string }> = [];
          await readUpdatesFromFile(path, { update: (u) => store.applyUpdate(u), problem: (p) => problems.push(p), restart: () => undefined });
          expectCleanProblems(problems, physicalLines(lines));
          const replay = await ReplaySource.open(path);
          try {
            const replayed = new RuntimeStore();
            replay.subscribe({ reset: () => undefined, update: (u) => replayed.applyUpdate(u) });
            replay.seekIndex(replay.frames.length);
            replay.seekIndex(0);
            replay.seekIndex(Math.floor(replay.frames.length / 2));
            expect(replay.position).toBe(Math.floor(replay.frames.length / 2));
            expectCleanProblems(replay.problems, physicalLines(lines));
          } finally {
            replay.close();
          }
          rmSync(path);
        }),
        { ...bounded, numRuns: 60 },
      );
    });
  }
});

describe("the CLI over fuzzed files", () => {
  it("exits 0, 1 or 2 with one-line errors and never a stack trace", async () => {
    let file = 0;
    const samples = fc.sample(
      fc.constantFrom(...FORMATS).chain((format) => linesOf(format).map((lines) => ({ format, lines }))),
      { numRuns: 4, seed: 16 },
    );
    for (const { format, lines } of samples) {
      const path = join(dir, `cli-${file++}.txt`);
      writeFileSync(path, `${lines.join("\n")}\n`);
      for (const args of [
        ["check", path],
        ["trace", path],
        ["replay", path, "--report"],
      ]) {
        const result = await runCli(args);
        const label = `${format} ${args[0]}: ${result.stderr.slice(0, 300)}`;
        expect([0, 1, 2], label).toContain(result.code);
        expect(result.stderr, label).not.toMatch(/\n\s+at |TypeError|RangeError|SyntaxError/);
        for (const line of result.stderr.split("\n").filter(Boolean)) expect(line, label).toMatch(/^consolation: /);
      }
    }
  });
});

describe("inputs the fuzzers found", () => {
  it("a console recording time of 1e400 (Infinity) or 1.5 is no time, not a crash", () => {
    for (const secs of ["1e4001700000000", "1.5", "-3"]) {
      const read = readTraceText(`{"v":1}\n{"Close":{"id":18014398509481985,"at":{"secs_since_epoch":${secs},"nanos_since_epoch":6}}}\n`);
      expect(read.problems).toEqual([]);
      expect(read.events).toMatchObject([{ type: "span", phase: "close" }]);
      expect(read.events[0]!.atNs).toBeUndefined();
    }
  });

  it("file text quoted into a problem comes out escaped and on one line", () => {
    const read = readTraceText(
      "2026-01-02T03:04:05.000100Z TRACE runtime.spawn[7]{kind=task} new\n2026-01-02T03:04\x1b]0;pwned\x07\u202eZ TRACE x: y\n",
      "ari",
    );
    expect(read.problems).toEqual([{ line: 2, message: "bad timestamp 2026-01-02T03:04\\x1b]0;pwned\\x07\\u202eZ" }]);
  });
});
