import { describe, expect, it } from "vitest";
import { DEFAULTS, parseBind, parseDuration, resolveOptions } from "./config.js";

describe("options", () => {
  it("parses humantime durations", () => {
    expect(parseDuration("1s")).toBe(1000);
    expect(parseDuration("500ms")).toBe(500);
    expect(parseDuration("1h 30m")).toBe(5_400_000);
    expect(parseDuration("250")).toBe(250);
    expect(parseDuration("soon")).toBeUndefined();
    expect(parseDuration("5 parsecs")).toBeUndefined();
  });

  it("parses bind addresses", () => {
    expect(parseBind("127.0.0.1:6669")).toEqual({ host: "127.0.0.1", port: 6669 });
    expect(parseBind("[::1]:80")).toEqual({ host: "::1", port: 80 });
    expect(parseBind("nope")).toBeUndefined();
  });

  it("reads TOKIO_CONSOLE_* and lets INSIGHT_* and arguments win", () => {
    const env = {
      TOKIO_CONSOLE_BIND: "0.0.0.0:7000",
      TOKIO_CONSOLE_PUBLISH_INTERVAL: "2s",
      INSIGHT_RETENTION: "10m",
      TOKIO_CONSOLE_RETENTION: "1m",
      TOKIO_CONSOLE_BUFFER_CAPACITY: "99",
    };
    const o = resolveOptions({}, env);
    expect(o).toMatchObject({ host: "0.0.0.0", listenPort: 7000, publishIntervalMs: 2000, retentionMs: 600_000, eventBufferCapacity: 99 });
    expect(resolveOptions({ listenPort: 8080, host: "::1" }, env)).toMatchObject({ listenPort: 8080, host: "::1" });
  });

  it("falls back to defaults on invalid values instead of throwing", () => {
    const o = resolveOptions({ listenPort: -3, publishInterval: "never" }, { TOKIO_CONSOLE_BIND: "garbage", TOKIO_CONSOLE_BUFFER_CAPACITY: "lots" });
    expect(o).toMatchObject({
      listenPort: DEFAULTS.listenPort,
      publishIntervalMs: DEFAULTS.publishIntervalMs,
      eventBufferCapacity: DEFAULTS.eventBufferCapacity,
    });
  });

  it("reads the GC proof's switch and interval", () => {
    expect(resolveOptions({}, {})).toMatchObject({ proof: "on", proofIntervalMs: 30_000 });
    expect(resolveOptions({}, { INSIGHT_PROOF: "off", INSIGHT_PROOF_INTERVAL: "2m" })).toMatchObject({ proof: "off", proofIntervalMs: 120_000 });
    expect(resolveOptions({ proof: "on", proofInterval: "5s" }, { INSIGHT_PROOF: "off" })).toMatchObject({ proof: "on", proofIntervalMs: 5000 });
    expect(resolveOptions({ proofInterval: "whenever" }, {})).toMatchObject({ proofIntervalMs: 30_000 });
  });
});
