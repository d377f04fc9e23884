import { readFileSync } from "node:fs";
import { deflateSync, inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { decodeHdrHistogram, HdrHistogramError } from "./hdr-histogram.js";

interface Vector {
  name: string;
  base64: string;
  lowestDiscernible: string;
  highestTrackable: string;
  significantFigures: number;
  totalCount: string;
  min: string;
  max: string;
  mean: number;
  quantiles: { q: number; value: string }[];
  recorded: { value: string; count: string }[];
}

// Produced by the Rust `hdrhistogram` crate (interop/console-json/src/hdr_vectors.rs);
// test/interop/hdr-vectors.test.ts checks this file still matches the crate's output.
const vectors: Vector[] = JSON.parse(readFileSync(new URL("./testdata/hdr-vectors.json", import.meta.url), "utf8"));

describe("decodeHdrHistogram() on bytes from the Rust hdrhistogram crate", () => {
  it("has vectors to check", () => {
    expect(vectors.length).toBeGreaterThanOrEqual(5);
  });

  for (const v of vectors) {
    describe(v.name, () => {
      const h = decodeHdrHistogram(Buffer.from(v.base64, "base64"));

      it("reads the header", () => {
        expect(h.lowestDiscernibleValue).toBe(BigInt(v.lowestDiscernible));
        expect(h.highestTrackableValue).toBe(BigInt(v.highestTrackable));
        expect(h.significantFigures).toBe(v.significantFigures);
      });

      it("recovers every recorded bucket and count", () => {
        expect(h.recorded().map((r) => ({ value: r.value.toString(), count: r.count.toString() }))).toEqual(v.recorded);
        expect(h.totalCount.toString()).toBe(v.totalCount);
      });

      it("agrees on min, max and mean", () => {
        expect(h.min().toString()).toBe(v.min);
        expect(h.max().toString()).toBe(v.max);
        expect(h.mean()).toBeCloseTo(v.mean, 6);
      });

      it("agrees on every quantile", () => {
        for (const { q, value } of v.quantiles) {
          expect([q, h.valueAtQuantile(q).toString()]).toEqual([q, value]);
        }
      });
    });
  }
});

describe("decodeHdrHistogram() on bad input", () => {
  const good = Buffer.from(vectors[0]!.base64, "base64");

  it("names a wrong cookie and its position", () => {
    const bad = Buffer.from(good);
    bad.writeUInt32BE(0xdeadbeef, 0);
    expect(() => decodeHdrHistogram(bad)).toThrow(/unknown cookie 0xdeadbeef at byte 0/);
  });

  it("rejects input shorter than a header", () => {
    expect(() => decodeHdrHistogram(good.subarray(0, 4))).toThrow(HdrHistogramError);
    expect(() => decodeHdrHistogram(good.subarray(0, 20))).toThrow(/too short for a header/);
  });

  it("names a payload length that runs past the end", () => {
    expect(() => decodeHdrHistogram(good.subarray(0, good.length - 3))).toThrow(/payload length \d+ at byte 4 runs past the end/);
  });

  it("names a varint cut short", () => {
    const cut = Buffer.from(good);
    // Claim one byte of payload holding a continuation byte with nothing after it.
    cut.writeUInt32BE(1, 4);
    cut[40] = 0x80;
    expect(() => decodeHdrHistogram(cut.subarray(0, 41))).toThrow(/truncated varint starting at byte 40/);
  });

  it("decodes the compressed variant when given an inflate function", () => {
    const deflated = deflateSync(good);
    const wrapped = Buffer.alloc(8 + deflated.length);
    wrapped.writeUInt32BE(0x1c849304, 0);
    wrapped.writeUInt32BE(deflated.length, 4);
    deflated.copy(wrapped, 8);
    expect(() => decodeHdrHistogram(wrapped)).toThrow(/needs an inflate function/);
    const h = decodeHdrHistogram(wrapped, { inflate: (b) => inflateSync(b) });
    expect(h.totalCount.toString()).toBe(vectors[0]!.totalCount);
  });
});
