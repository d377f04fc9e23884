/**
 * The HdrHistogram vectors committed next to the decoder must be exactly what
 * the Rust `hdrhistogram` crate (the one console-subscriber serializes with)
 * produces today, and our decoder must read every one of them exactly.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it, beforeAll } from "vitest";
import { decodeHdrHistogram } from "@async-insight/protocol";
import { runPeer, rustBin } from "../support/rust-peers.js";

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

const committedPath = new URL("../../packages/protocol/src/testdata/hdr-vectors.json", import.meta.url);

describe("HdrHistogram vectors from the Rust crate", () => {
  let fromRust: Vector[];
  const committed: Vector[] = JSON.parse(readFileSync(committedPath, "utf8"));

  beforeAll(async () => {
    const { stdout } = await runPeer(rustBin("fixture-server"), ["hdr-vectors"]);
    fromRust = JSON.parse(stdout);
  });

  it("match the committed testdata byte for byte and stat for stat", () => {
    expect(fromRust.map((v) => v.name)).toEqual(committed.map((v) => v.name));
    expect(fromRust).toEqual(committed);
  });

  it("decode exactly with our decoder", () => {
    expect(fromRust.length).toBeGreaterThanOrEqual(5);
    for (const v of fromRust) {
      const h = decodeHdrHistogram(Buffer.from(v.base64, "base64"));
      const label = `vector ${v.name}`;
      expect(h.lowestDiscernibleValue.toString(), label).toBe(v.lowestDiscernible);
      expect(h.highestTrackableValue.toString(), label).toBe(v.highestTrackable);
      expect(h.significantFigures, label).toBe(v.significantFigures);
      expect(h.totalCount.toString(), label).toBe(v.totalCount);
      expect(
        h.recorded().map((r) => ({ value: r.value.toString(), count: r.count.toString() })),
        label,
      ).toEqual(v.recorded);
      expect(h.min().toString(), label).toBe(v.min);
      expect(h.max().toString(), label).toBe(v.max);
      expect(h.mean(), label).toBeCloseTo(v.mean, 6);
      expect(
        v.quantiles.map(({ q }) => ({ q, value: h.valueAtQuantile(q).toString() })),
        label,
      ).toEqual(v.quantiles);
    }
  });
});
