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
    retentionMs:
      durationOption(options.retention, "retention") ?? durationOption(env("RETENTION", environment), "RETENTION") ?? DEFAULTS.retentionMs,
    eventBufferCapacity: capacity !== undefined && Number.isInteger(capacity) && capacity > 0 ? capacity : DEFAULTS.eventBufferCapacity,
    polls,
    httpTasks: options.httpTasks ?? DEFAULTS.httpTasks,
    exitReport: options.exitReport ?? environment.INSIGHT_EXIT_REPORT === "1",
    deep: options.deep ?? environment.INSIGHT_DEEP === "1",
    shortLivedPerInterval: options.shortLivedPerInterval ?? DEFAULTS.shortLivedPerInterval,
    recordPath: (typeof options.recordPath === "string" && options.recordPath !== "" ? options.recordPath : undefined) ?? env("RECORD_PATH", environment),
  };
}

function validPort(port: number | undefined): number | undefined {
  if (port === undefined) return undefined;
  if (Number.isInteger(port) && port >= 0 && port <= 65535) return port;
  debug("ignoring invalid listenPort %o", port);
  return undefined;
}
