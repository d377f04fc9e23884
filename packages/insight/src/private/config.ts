/**
 * insight's options, from `init()` arguments and the environment. Variables
 * mirror console-subscriber's `TOKIO_CONSOLE_*` so one habit works for both
 * runtimes; `INSIGHT_*` spellings win when both are set. An invalid value is
 * logged (NODE_DEBUG=insight) and the default used: unlike console-subscriber,
 * which panics, a bad variable must not take the host down.
 */
import { debug } from "./debug.js";

export interface InsightOptions {
  /** TCP port of the console server. Default 6669 (0 picks a free port). */
  readonly listenPort?: number;
  /** Interface to bind. Default 127.0.0.1. */
  readonly host?: string;
  /** How often deltas go to consoles, in ms or a duration string ("1s"). Default 1s. */
  readonly publishInterval?: number | string;
  /** How long completed tasks, dropped resources and finished waits are kept, in ms or "1h". Default 1h. */
  readonly retention?: number | string;
  /** New entities buffered per publish interval before further ones are dropped (and counted). Default 102400. */
  readonly eventBufferCapacity?: number;
  /**
   * Poll tracking: "promise-hooks" (default) observes each synchronous run of
   * a task's promise continuations with two V8 promise hooks; "off" counts
   * only polls insight sees directly (task start, resumption after an insight
   * primitive). See docs/model.md.
   */
  readonly polls?: "promise-hooks" | "off";
  /** Create a task per incoming HTTP request. Default true. */
  readonly httpTasks?: boolean;
  /** Print pending tasks and their waits at exit. Default: INSIGHT_EXIT_REPORT=1. */
  readonly exitReport?: boolean;
  /**
   * Deep mode (INSIGHT_DEEP=1): capture the spawn site of every task, and
   * record poll/scheduled histograms even while no console is connected. Off,
   * a stack is captured once per task name (tasks spawned under one name
   * share the first one's location) and histograms are recorded only while a
   * console watches.
   */
  readonly deep?: boolean;
  /**
   * Tasks and waits that began and ended within one publish interval, never
   * seen by a console, published per interval at most (beyond that they are
   * counted in dropped_events). Default 200; deep mode publishes all.
   */
  readonly shortLivedPerInterval?: number;
  /**
   * Record every update to this file, in the format `consolation record`
   * writes (docs/recording-format.md), whether or not a console is attached.
   * Default: INSIGHT_RECORD_PATH or TOKIO_CONSOLE_RECORD_PATH.
   */
  readonly recordPath?: string;
  /**
   * The GC proof (docs/model.md): while a console watches or a recording
   * runs and something has been idle for 3 s, force a full GC (at most once
   * per `proofInterval`) to prove tasks stuck that nothing can resume any
   * more. "off" (or INSIGHT_PROOF=off) never forces a GC. Default "on".
   */
  readonly proof?: "on" | "off";
  /** The least time between two forced GCs, in ms or "30s". Default 30 s (INSIGHT_PROOF_INTERVAL). */
  readonly proofInterval?: number | string;
  /**
   * No GC is forced while the heap holds more than this many MB: a full GC's
   * pause grows with the heap, and the host comes first. Proofs then come
   * from the app's own major GCs only. Default 64 (INSIGHT_PROOF_MAX_HEAP_MB).
   */
  readonly proofMaxHeapMb?: number;
  /**
   * Consoles (WatchUpdates streams) served at once; one more is refused with
   * RESOURCE_EXHAUSTED. The same cap applies to WatchState and
   * WatchTaskDetails streams. Default 8 (INSIGHT_MAX_STREAMS).
   */
  readonly maxStreams?: number;
  /**
   * A shared secret: when set, the console server refuses (UNAUTHENTICATED)
   * every call without gRPC metadata `authorization: Bearer <token>`.
   * Default: INSIGHT_TOKEN. See docs/security.md.
   */
  readonly token?: string;
  /**
   * Announce the console server in the discovery directory (docs/processes.md)
   * so `consolation --discover` finds it. Default true; INSIGHT_DISCOVERY=off
   * turns it off.
   */
  readonly discovery?: boolean;
}

export interface ResolvedOptions {
  readonly listenPort: number;
  readonly host: string;
  readonly publishIntervalMs: number;
  readonly retentionMs: number;
  readonly eventBufferCapacity: number;
  readonly polls: "promise-hooks" | "off";
  readonly httpTasks: boolean;
  readonly exitReport: boolean;
  readonly deep: boolean;
  readonly shortLivedPerInterval: number;
  readonly recordPath: string | undefined;
  readonly proof: "on" | "off";
  readonly proofIntervalMs: number;
  readonly proofMaxHeapBytes: number;
  readonly maxStreams: number;
  readonly token: string | undefined;
  readonly discovery: boolean;
}

export const DEFAULTS: ResolvedOptions = {
  listenPort: 6669,
  host: "127.0.0.1",
  publishIntervalMs: 1000,
  retentionMs: 3600_000,
  eventBufferCapacity: 102_400,
  polls: "promise-hooks",
  httpTasks: true,
  exitReport: false,
  deep: false,
  shortLivedPerInterval: 200,
  recordPath: undefined,
  proof: "on",
  proofIntervalMs: 30_000,
  proofMaxHeapBytes: 64 * 1024 * 1024,
  maxStreams: 8,
  token: undefined,
  discovery: true,
};

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  sec: 1000,
  m: 60_000,
  min: 60_000,
  h: 3600_000,
  d: 86_400_000,
};

/** Parses humantime-style durations ("1s", "500ms", "1h 30m") or plain milliseconds. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  if (!/^(\s*\d+(\.\d+)?\s*[a-zµ]+)+$/i.test(trimmed)) return undefined;
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(/(\d+(?:\.\d+)?)\s*([a-zµ]+)/gi)) {
    const scale = UNIT_MS[(unit ?? "").toLowerCase()];
    if (scale === undefined) return undefined;
    total += Number(amount) * scale;
  }
  return total;
}

function env(name: string, environment: NodeJS.ProcessEnv): string | undefined {
  const value = environment[`INSIGHT_${name}`] ?? environment[`TOKIO_CONSOLE_${name}`];
  return value === undefined || value === "" ? undefined : value;
}

function durationOption(value: number | string | undefined, what: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = typeof value === "number" ? value : parseDuration(value);
  if (ms === undefined || !Number.isFinite(ms) || ms <= 0) {
    debug("ignoring invalid %s %o", what, value);
    return undefined;
  }
  return ms;
}

/** Splits "host:port", "[v6]:port" or ":port". */
export function parseBind(text: string): { host?: string; port?: number } | undefined {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(text.trim());
  if (!match) return undefined;
  const port = Number(match[3]);
  if (port > 65535) return undefined;
  const host = match[1] ?? match[2];
  return host ? { host, port } : { port };
}

/** Options win over the environment, the environment over defaults. */
export function resolveOptions(options: InsightOptions = {}, environment: NodeJS.ProcessEnv = process.env): ResolvedOptions {
  const bindText = env("BIND", environment);
  const bind = bindText === undefined ? undefined : parseBind(bindText);
  if (bindText !== undefined && !bind) debug("ignoring invalid BIND %o", bindText);
  const portText = environment.INSIGHT_PORT;
  const envPort = portText !== undefined && /^\d+$/.test(portText) ? Number(portText) : undefined;
  const capacityText = env("BUFFER_CAPACITY", environment);
  const envCapacity = capacityText !== undefined && /^\d+$/.test(capacityText) ? Number(capacityText) : undefined;
  const polls = options.polls ?? (environment.INSIGHT_POLLS === "off" ? "off" : DEFAULTS.polls);
  const capacity = options.eventBufferCapacity ?? envCapacity;
  return {
    listenPort: validPort(options.listenPort) ?? envPort ?? bind?.port ?? DEFAULTS.listenPort,
    host: options.host ?? bind?.host ?? DEFAULTS.host,
    publishIntervalMs:
      durationOption(options.publishInterval, "publishInterval") ??
      durationOption(env("PUBLISH_INTERVAL", environment), "PUBLISH_INTERVAL") ??
      DEFAULTS.publishIntervalMs,
    retentionMs: durationOption(options.retention, "retention") ?? durationOption(env("RETENTION", environment), "RETENTION") ?? DEFAULTS.retentionMs,
    eventBufferCapacity: capacity !== undefined && Number.isInteger(capacity) && capacity > 0 ? capacity : DEFAULTS.eventBufferCapacity,
    polls,
    httpTasks: options.httpTasks ?? DEFAULTS.httpTasks,
    exitReport: options.exitReport ?? environment.INSIGHT_EXIT_REPORT === "1",
    deep: options.deep ?? environment.INSIGHT_DEEP === "1",
    shortLivedPerInterval: options.shortLivedPerInterval ?? DEFAULTS.shortLivedPerInterval,
    proof: options.proof === "off" || options.proof === "on" ? options.proof : environment.INSIGHT_PROOF === "off" ? "off" : DEFAULTS.proof,
    proofIntervalMs:
      durationOption(options.proofInterval, "proofInterval") ??
      durationOption(environment.INSIGHT_PROOF_INTERVAL, "PROOF_INTERVAL") ??
      DEFAULTS.proofIntervalMs,
    proofMaxHeapBytes:
      (positiveInteger(options.proofMaxHeapMb, "proofMaxHeapMb") ??
        positiveInteger(numberText(environment.INSIGHT_PROOF_MAX_HEAP_MB), "INSIGHT_PROOF_MAX_HEAP_MB") ??
        DEFAULTS.proofMaxHeapBytes / (1024 * 1024)) *
      1024 *
      1024,
    maxStreams:
      positiveInteger(options.maxStreams, "maxStreams") ??
      positiveInteger(numberText(environment.INSIGHT_MAX_STREAMS), "INSIGHT_MAX_STREAMS") ??
      DEFAULTS.maxStreams,
    token: (typeof options.token === "string" && options.token !== "" ? options.token : undefined) ?? nonEmpty(environment.INSIGHT_TOKEN),
    discovery: options.discovery ?? environment.INSIGHT_DISCOVERY !== "off",
    recordPath: (typeof options.recordPath === "string" && options.recordPath !== "" ? options.recordPath : undefined) ?? env("RECORD_PATH", environment),
  };
}

function validPort(port: number | undefined): number | undefined {
  if (port === undefined) return undefined;
  if (Number.isInteger(port) && port >= 0 && port <= 65535) return port;
  debug("ignoring invalid listenPort %o", port);
  return undefined;
}

function numberText(text: string | undefined): number | undefined {
  return text === undefined || text === "" ? undefined : /^\d+$/.test(text) ? Number(text) : NaN;
}

function positiveInteger(value: number | undefined, what: string): number | undefined {
  if (value === undefined) return undefined;
  if (Number.isInteger(value) && value > 0) return value;
  debug("ignoring invalid %s %o", what, value);
  return undefined;
}

function nonEmpty(text: string | undefined): string | undefined {
  return text === undefined || text.trim() === "" ? undefined : text.trim();
}
