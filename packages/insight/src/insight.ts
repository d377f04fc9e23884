/**
 * Starting and stopping insight: `init()` installs the runtime registry, the
 * poll hooks, request tasks and the console server; `shutdown()` removes them.
 */
import { startInstrumentServer, type RunningInstrumentServer } from "@async-insight/protocol/server";
import { channel } from "node:diagnostics_channel";
import { basename } from "node:path";
import { captureSite } from "./private/callsite.js";
import { resolveOptions, type InsightOptions, type ResolvedOptions } from "./private/config.js";
import { debug } from "./private/debug.js";
import { FileRecorder } from "./private/file-recorder.js";
import { now } from "./private/clock.js";
import { GcProof, OBSERVED_AFTER_VISIT_MS } from "./private/gc-proof.js";
import { AwaitTracker, awaitMode } from "./private/await-tracker.js";
import { installLibraryAdapters } from "./adapters/index.js";
import { installExitReport } from "./private/exit-report.js";
import { subscribeHttpTasks } from "./private/http-tasks.js";
import { RuntimeInstrumentSource } from "./private/instrument-source.js";
import { enablePollHooks } from "./private/poll-hooks.js";
import { installRuntime, runtime, Runtime } from "./private/runtime.js";
import { isLoopback } from "./private/loopback.js";
import { newTaskContext, outsideTasks, taskStorage } from "./private/task-context.js";
import { announce, removeEntriesOfEndedThreads } from "./private/discovery.js";
import { processRole, type ProcessRole } from "./private/process-role.js";

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
  readonly source: RuntimeInstrumentSource;
  readonly proof: GcProof;
  server: RunningInstrumentServer | undefined;
  readonly undo: (() => void)[];
  recorder: FileRecorder | undefined;
}

let installed: Installed | undefined;

/**
 * Problems insight has with itself (today: the console server could not
 * listen). The one thing that must not stay silent: a developer who added
 * init() and sees an empty console needs to learn why, so it is one Node
 * process warning (the issue's "one clear warning"; hidden by --no-warnings,
 * catchable with process.on("warning")), never a log line. Tools can also
 * subscribe to the diagnostics channel.
 */
export const DIAGNOSTICS_CHANNEL = "insight:diagnostics";
const diagnostics = channel(DIAGNOSTICS_CHANNEL);

export interface InsightDiagnostic {
  /**
   * INSIGHT_SERVER: the console server could not listen. INSIGHT_RECORD: the
   * recording file could not be written. INSIGHT_EXPOSED: the console server
   * listens on an address other machines can reach.
   */
  readonly code: "INSIGHT_SERVER" | "INSIGHT_RECORD" | "INSIGHT_EXPOSED";
  readonly message: string;
}

/**
 * Where this thread's console server listens, published once on
 * LISTENING_CHANNEL (never a warning) when it starts: for tools in the same
 * thread. Other processes find it in the discovery directory
 * (docs/processes.md). Kept off the diagnostics channel, whose every message
 * is a problem.
 */
export const LISTENING_CHANNEL = "insight:listening";
const listeningChannel = channel(LISTENING_CHANNEL);

export interface InsightListening {
  readonly code: "INSIGHT_LISTENING";
  readonly message: string;
  readonly host: string;
  readonly port: number;
  readonly pid: number;
  readonly threadId: number;
  readonly kind: ProcessRole["kind"];
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
  const source = new RuntimeInstrumentSource(rt);
  // A console that only takes a snapshot (dump, check's polls) counts for a minute: the proof it
  // triggers shows in the next snapshot it takes.
  const proof = new GcProof(rt, () => source.watching || source.recording || now() - rt.lastWatchedAt < OBSERVED_AFTER_VISIT_MS);
  const undo: (() => void)[] = [];
  const state: Installed = {
    options: resolved,
    runtime: rt,
    source,
    proof,
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
    // insight's own timers, file writes, imports and console connections run in no task: created
    // in the main task's context, every continuation of theirs would count as the app's main task working.
    outsideTasks(() => {
      source.start();
      undo.push(() => source.stop());
      proof.start();
      undo.push(() => proof.stop());
      startAwaitTracking(rt, source);
      // Library pools, locks and queues (adapters/): patches what is loaded, hooks what loads later.
      void installLibraryAdapters();
      if (resolved.recordPath) {
        state.recorder = new FileRecorder(resolved.recordPath, (message) => report({ code: "INSIGHT_RECORD", message }));
        source.record(state.recorder);
      }
    });
  } catch (error) {
    debug("init failed: %s", error);
  }
  (state as { ready: Promise<ServerAddress | undefined> }).ready = outsideTasks(() => startServer(state, validExplicitPort(options.listenPort)));
  return state;
}

function validExplicitPort(port: unknown): number | undefined {
  return typeof port === "number" && Number.isInteger(port) && port >= 0 && port <= 65535 ? port : undefined;
}

/**
 * Awaits of any promise are noted only while someone looks (or always, or
 * never: INSIGHT_AWAITS), since the hooks cost every promise (await-tracker.ts).
 */
function startAwaitTracking(rt: Runtime, source: RuntimeInstrumentSource): void {
  const mode = awaitMode();
  if (mode === "off") return;
  const tracker = new AwaitTracker();
  tracker.start(() => mode === "always" || rt.options.deep || source.watching || source.recording || now() - rt.lastWatchedAt < OBSERVED_AFTER_VISIT_MS, rt);
  installed?.undo.push(() => tracker.stop());
}

function startMainTask(rt: Runtime): void {
  const main = process.argv[1];
  // A worker thread shares argv with the main thread: its main task is the thread, located where init() ran.
  const thread = processRole().kind === "worker-thread" ? processRole().threadId : 0;
  const task = rt.createTask(thread ? `thread ${thread}` : main ? basename(main) : "main", "main", {}, captureSite(init), undefined);
  if (main && !thread) task.fallbackLocation = { file: main, line: 1, column: 1 };
  rt.mainTask = task;
  // Code of the main module from here on (and what it schedules) runs as the
  // main task, unless init was called inside some other task.
  if (taskStorage.getStore()?.record === undefined) taskStorage.enterWith(newTaskContext(task));
}

/**
 * The primary (or a lone process) listens on the configured port. A cluster
 * worker or a worker thread inherits the same options and environment, so it
 * would clash with the primary and with its siblings: it takes a free port
 * (or the port its own init() call names, when that one is free) and is found
 * through the discovery directory instead. See docs/processes.md.
 */
async function startServer(state: Installed, explicitPort: number | undefined): Promise<ServerAddress | undefined> {
  const { host, token, maxStreams } = state.options;
  const role = processRole();
  const secondary = role.kind !== "process";
  const listenPort = secondary ? (explicitPort ?? 0) : state.options.listenPort;
  const listen = (port: number) =>
    startInstrumentServer(
      state.source,
      { port, host },
      {
        onError: (e) => debug("server: %s", e),
        maxStreams,
        maxStreamsHint: "set maxStreams or INSIGHT_MAX_STREAMS on the target to allow more",
        ...(token ? { token } : {}),
      },
    );
  try {
    let server: RunningInstrumentServer;
    try {
      server = await listen(listenPort);
    } catch (error) {
      if (!secondary || listenPort === 0 || (error as NodeJS.ErrnoException)?.code !== "EADDRINUSE") throw error;
      debug("port %d is taken; this %s listens on a free port", listenPort, role.kind);
      server = await listen(0);
    }
    if (installed !== state) {
      await server.close();
      return undefined;
    }
    state.server = server;
    const http = server.server.httpServer;
    http.unref();
    http.on("session", (session) => session.unref());
    debug("console server listening on %s:%d", server.address.host, server.address.port);
    if (!isLoopback(server.address.host)) warnExposed(server.address, token !== undefined);
    announceServer(state, role, server.address);
    return { host: server.address.host, port: server.address.port };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException)?.code;
    const why = code === "EADDRINUSE" ? `port ${listenPort} is already in use` : `${(error as Error)?.message ?? error}`;
    report({
      code: "INSIGHT_SERVER",
      message: `insight: the console server could not listen on ${host}:${listenPort} (${why}); the app carries on without it. Set listenPort or INSIGHT_BIND to choose another port.`,
    });
    return undefined;
  }
}

/** Tells consoles (the discovery directory) and in-thread tools (the diagnostics channel) where this server is. */
function announceServer(state: Installed, role: ProcessRole, address: ServerAddress): void {
  if (state.options.discovery) {
    const remove = announce(role, address, state.options.token !== undefined);
    if (remove) state.undo.push(remove, removeEntriesOfEndedThreads());
  }
  const listening: InsightListening = {
    code: "INSIGHT_LISTENING",
    message: `insight: the console server of ${role.kind} ${role.pid}${role.threadId ? ` thread ${role.threadId}` : ""} listens on ${address.host}:${address.port}`,
    ...address,
    pid: role.pid,
    threadId: role.threadId,
    kind: role.kind,
  };
  try {
    if (listeningChannel.hasSubscribers) listeningChannel.publish(listening);
  } catch (error) {
    debug("publishing the listening address failed: %s", error);
  }
}

/** One warning for a console server other machines can reach: it can pause the app and read its task names. */
function warnExposed(address: ServerAddress, tokenSet: boolean): void {
  const where = address.host.includes(":") ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
  const guard = tokenSet
    ? "calls need the token, but it travels in plain text (no TLS): keep the port on a trusted network"
    : "anyone who can connect can read task names and fields and pause the app; set a token (init({ token }) or INSIGHT_TOKEN) or bind to 127.0.0.1";
  report({
    code: "INSIGHT_EXPOSED",
    message: `insight: the console server listens on ${where}, reachable from other machines; ${guard}. See docs/security.md.`,
  });
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
export function internalState(): { runtime: Runtime; source: RuntimeInstrumentSource; proof: GcProof } | undefined {
  return installed ? { runtime: installed.runtime, source: installed.source, proof: installed.proof } : undefined;
}
