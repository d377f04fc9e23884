/**
 * Starting and stopping insight: `init()` installs the runtime registry, the
 * poll hooks, request tasks and the console server; `shutdown()` removes them.
 */
import { startInstrumentServer, type RunningInstrumentServer } from "@insight/protocol/server";
import { channel } from "node:diagnostics_channel";
import { basename } from "node:path";
import { captureSite } from "./private/callsite.js";
import { resolveOptions, type InsightOptions, type ResolvedOptions } from "./private/config.js";
import { debug } from "./private/debug.js";
import { FileRecorder } from "./private/file-recorder.js";
import { installExitReport } from "./private/exit-report.js";
import { subscribeHttpTasks } from "./private/http-tasks.js";
import { RuntimeSource } from "./private/instrument-source.js";
import { enablePollHooks } from "./private/poll-hooks.js";
import { installRuntime, runtime, Runtime } from "./private/runtime.js";
import { taskStorage } from "./private/task-context.js";

export type { InsightOptions };

export interface ServerAddress {
  readonly host: string;
  readonly port: number;
}

export interface Insight {
  /** The options in effect (arguments, then environment, then defaults). */
  readonly options: ResolvedOptions;
  /** Resolves with where the console server listens, or undefined if it could not start (e.g. port in use). */
  readonly ready: Promise<ServerAddress | undefined>;
}

interface Installed extends Insight {
  readonly runtime: Runtime;
  readonly source: RuntimeSource;
  server: RunningInstrumentServer | undefined;
  readonly undo: (() => void)[];
  recorder: FileRecorder | undefined;
}

let installed: Installed | undefined;

/**
 * Problems insight has with itself (today: the console server could not
 * listen). The one thing that must not stay silent: a developer who added
 * init() and sees an empty console needs to learn why, so it is one Node
 * process warning (the "one clear warning"; hidden by --no-warnings,
 * catchable with process.on("warning")), never a log line. Tools can also
 * subscribe to the diagnostics channel.
 */
export const DIAGNOSTICS_CHANNEL = "insight:diagnostics";
const diagnostics = channel(DIAGNOSTICS_CHANNEL);

export interface InsightDiagnostic {
  /** INSIGHT_SERVER: the console server could not listen. INSIGHT_RECORD: the recording file could not be written. */
  readonly code: "INSIGHT_SERVER" | "INSIGHT_RECORD";
  readonly message: string;
}

function report(diagnostic: InsightDiagnostic): void {
  debug("%s", diagnostic.message);
  try {
    if (diagnostics.hasSubscribers) diagnostics.publish(diagnostic);
    process.emitWarning(diagnostic.message, { code: diagnostic.code });
  } catch (error) {
    debug("reporting a diagnostic failed: %s", error);
  }
}

/**
 * Starts insight. Safe to call more than once: later calls return the first
 * call's handle and ignore their options. Never throws.
 */
export function init(options: InsightOptions = {}): Insight {
  if (installed) {
    debug("init called again; keeping the running instance");
    return installed;
  }
  let resolved: ResolvedOptions;
  try {
    resolved = resolveOptions(options);
  } catch (error) {
    debug("bad options: %s", error);
    resolved = resolveOptions({});
  }
  const rt = new Runtime(resolved);
  const source = new RuntimeSource(rt);
  const undo: (() => void)[] = [];
  const state: Installed = {
    options: resolved,
    runtime: rt,
    source,
    server: undefined,
    undo,
    ready: Promise.resolve(undefined),
    recorder: undefined,
  };
  installed = state;
  try {
    installRuntime(rt);
    if (resolved.polls === "promise-hooks") undo.push(enablePollHooks());
    if (resolved.httpTasks) undo.push(subscribeHttpTasks());
    if (resolved.exitReport) undo.push(installExitReport(() => runtime));
    startMainTask(rt);
    source.start();
    undo.push(() => source.stop());
    if (resolved.recordPath) {
      state.recorder = new FileRecorder(resolved.recordPath, (message) => report({ code: "INSIGHT_RECORD", message }));
      source.record(state.recorder);
    }
  } catch (error) {
    debug("init failed: %s", error);
  }
  (state as { ready: Promise<ServerAddress | undefined> }).ready = startServer(state);
  return state;
}

function startMainTask(rt: Runtime): void {
  const main = process.argv[1];
  const task = rt.createTask(main ? basename(main) : "main", "main", {}, captureSite(init), undefined);
  if (main) task.fallbackLocation = { file: main, line: 1, column: 1 };
  rt.mainTask = task;
  // Code of the main module from here on (and what it schedules) runs as the
  // main task, unless init was called inside some other task.
  if (taskStorage.getStore() === undefined) taskStorage.enterWith(task);
}

async function startServer(state: Installed): Promise<ServerAddress | undefined> {
  const { listenPort, host } = state.options;
  try {
    const server = await startInstrumentServer(state.source, { port: listenPort, host }, { onError: (e) => debug("server: %s", e) });
    if (installed !== state) {
      await server.close();
      return undefined;
    }
    state.server = server;
    const http = server.server.httpServer;
    http.unref();
    http.on("session", (session) => session.unref());
    debug("console server listening on %s:%d", server.address.host, server.address.port);
    return { host: server.address.host, port: server.address.port };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException)?.code;
    const why = code === "EADDRINUSE" ? `port ${listenPort} is already in use` : `${(error as Error)?.message ?? error}`;
    report({ code: "INSIGHT_SERVER", message: `insight: the console server could not listen on ${host}:${listenPort} (${why}); the app carries on without it. Set listenPort or INSIGHT_BIND to choose another port.` });
    return undefined;
  }
}

/** Stops insight: closes the console server and removes every hook. Primitives keep working, uninstrumented. */
export async function shutdown(): Promise<void> {
  const state = installed;
  if (!state) return;
  installed = undefined;
  state.source.flushRecording();
  installRuntime(undefined);
  for (const undo of state.undo.reverse()) {
    try {
      undo();
    } catch (error) {
      debug("shutdown step failed: %s", error);
    }
  }
  await state.recorder?.close();
  await state.ready.catch(() => undefined);
  await state.server?.close().catch((error: unknown) => debug("closing the server: %s", error));
}

/** The running instance, if any. */
export function instance(): Insight | undefined {
  return installed;
}

/** @internal For tests and the exit report: the live registry. */
export function internalState(): { runtime: Runtime; source: RuntimeSource } | undefined {
  return installed ? { runtime: installed.runtime, source: installed.source } : undefined;
}
