/**
 * The console server's view of the runtime: a full snapshot when a console
 * connects (built in slices, update-watcher.ts), then one delta per publish
 * interval to every watcher, Pause and Resume, and per-task details. A
 * watcher that falls too far behind is ended with RESOURCE_EXHAUSTED rather
 * than buffered for without limit; consoles reconnect and get a fresh
 * snapshot.
 */
import { create } from "@bufbuild/protobuf";
import { StateSchema, Temporality, type State, type Update, type tasks } from "@async-insight/protocol";
import { GrpcError, GrpcStatus, MessageQueue, type InstrumentSource } from "@async-insight/protocol/server";
import { now } from "./clock.js";
import { debug, guarded } from "./debug.js";
import type { Runtime } from "./runtime.js";
import type { UpdateSink } from "./file-recorder.js";
import { WireBuilder } from "./wire.js";
import { DEFAULT_WATCHER_LIMITS, UpdateWatcher, type WatcherLimits } from "./update-watcher.js";
import type { SliceBudget } from "./snapshot-slicer.js";
import { SliceTurns } from "./slice-turns.js";
import { SharedSnapshot } from "./shared-snapshot.js";

/** Task details or states a slow console may have queued before it is ended. */
const CLIENT_BUFFER = 64;

function fellBehind(what: string): GrpcError {
  return new GrpcError(GrpcStatus.RESOURCE_EXHAUSTED, `this console fell ${CLIENT_BUFFER} ${what} behind, so the target ended its stream; reconnect`);
}

export interface RuntimeInstrumentSourceOptions {
  readonly watcherLimits?: WatcherLimits;
  readonly sliceBudget?: SliceBudget;
}

export class RuntimeInstrumentSource implements InstrumentSource {
  readonly #runtime: Runtime;
  readonly #wire: WireBuilder;
  readonly #watchers = new Set<UpdateWatcher>();
  readonly #options: RuntimeInstrumentSourceOptions;
  readonly #sliceTurns = new SliceTurns();
  /** The snapshot being built, which consoles attaching now join. */
  #snapshot: SharedSnapshot | undefined;
  readonly #detailWatchers = new Set<{ taskSpanId: number; queue: MessageQueue<tasks.TaskDetails> }>();
  readonly #stateWatchers = new Set<MessageQueue<State>>();
  #paused = false;
  #timer: NodeJS.Timeout | undefined;
  /** Gets every update, like a console that never disconnects (a recording). */
  #recorder: UpdateSink | undefined;

  constructor(runtime: Runtime, options: RuntimeInstrumentSourceOptions = {}) {
    this.#runtime = runtime;
    this.#options = options;
    this.#wire = new WireBuilder(runtime);
  }

  get wire(): WireBuilder {
    return this.#wire;
  }

  get watching(): boolean {
    return this.#watchers.size > 0;
  }

  /** A recording gets every update. */
  get recording(): boolean {
    return this.#recorder !== undefined;
  }

  /** Starts feeding `sink` a full snapshot now and a delta every interval from then on. */
  record(sink: UpdateSink): void {
    this.#recorder = sink;
    guarded("record", () => sink.push(this.#wire.snapshot()), undefined);
  }

  /** One last delta for the recording, so it ends on the state at shutdown. */
  flushRecording(): void {
    const sink = this.#recorder;
    this.#recorder = undefined;
    if (sink && !this.#paused) guarded("record", () => sink.push(this.#wire.delta()), undefined);
  }

  start(): void {
    // unref: the console server must never keep the host process alive.
    this.#timer = setInterval(() => guarded("publish", () => this.tick(), undefined), this.#runtime.options.publishIntervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    for (const watcher of this.#watchers) watcher.close();
    for (const { queue } of this.#detailWatchers) queue.close();
    for (const queue of this.#stateWatchers) queue.close();
  }

  /** One publish interval. */
  tick(): void {
    const runtime = this.#runtime;
    // Every interval, paused or not, so what joins noted stays bounded; the
    // wire builder settles again before it reads, which is then a no-op.
    runtime.settleDeferred();
    runtime.expire(now());
    if (this.#paused) return;
    if (this.#watchers.size > 0 || this.#recorder) {
      const started = now();
      const update = this.#wire.delta();
      debug("built a delta in %s ms", (now() - started).toFixed(1));
      this.#recorder?.push(update);
      // A build nobody reads any more is dropped: a console attaching later
      // starts a fresh one rather than inherit its backlog.
      if (this.#snapshot?.done === false && this.#watchers.size > 0) this.#snapshot.notePublished(update);
      else this.#snapshot = undefined;
      for (const watcher of this.#watchers) {
        if (!watcher.push(update)) {
          debug("a console fell behind; ending its stream");
          this.#watchers.delete(watcher);
          this.#syncHistograms();
        }
      }
    } else {
      this.#snapshot = undefined;
      // Nobody watching: a console that connects later gets a full snapshot
      // (of what retention and the short-lived budget kept).
      runtime.clearDeltas();
      this.#wire.metadata.takePending();
    }
    for (const watcher of this.#detailWatchers) {
      const task = runtime.tasks.get(watcher.taskSpanId);
      if (task && !watcher.queue.push(this.#wire.taskDetails(task))) {
        watcher.queue.fail(fellBehind("task details"));
        this.#detailWatchers.delete(watcher);
        this.#syncHistograms();
      }
    }
  }

  watchUpdates(signal: AbortSignal): AsyncIterable<Update> {
    if (this.#snapshot === undefined || this.#snapshot.done) {
      this.#snapshot = new SharedSnapshot(this.#runtime, this.#wire, this.#sliceTurns, this.#options.sliceBudget);
    }
    const watcher = new UpdateWatcher(this.#snapshot, this.#options.watcherLimits ?? DEFAULT_WATCHER_LIMITS);
    this.#watchers.add(watcher);
    this.#syncHistograms();
    signal.addEventListener(
      "abort",
      () => {
        this.#watchers.delete(watcher);
        this.#syncHistograms();
      },
      { once: true },
    );
    return watcher.stream(signal);
  }

  /** Consoles with a WatchUpdates stream open. */
  get watcherCount(): number {
    return this.#watchers.size;
  }

  watchTaskDetails(taskId: bigint, signal: AbortSignal): AsyncIterable<tasks.TaskDetails> {
    const task = this.#runtime.tasks.get(Number(taskId));
    if (!task) throw new GrpcError(GrpcStatus.NOT_FOUND, "task not found");
    const queue = new MessageQueue<tasks.TaskDetails>(CLIENT_BUFFER);
    queue.push(this.#wire.taskDetails(task));
    const watcher = { taskSpanId: task.spanId, queue };
    this.#detailWatchers.add(watcher);
    this.#syncHistograms();
    signal.addEventListener(
      "abort",
      () => {
        this.#detailWatchers.delete(watcher);
        this.#syncHistograms();
      },
      { once: true },
    );
    return queue.closeOn(signal);
  }

  watchState(signal: AbortSignal): AsyncIterable<State> {
    const queue = new MessageQueue<State>(CLIENT_BUFFER);
    queue.push(this.#state());
    this.#stateWatchers.add(queue);
    signal.addEventListener("abort", () => this.#stateWatchers.delete(queue), { once: true });
    return queue.closeOn(signal);
  }

  /** Histograms are recorded while a console is connected (always in deep mode). */
  #syncHistograms(): void {
    const runtime = this.#runtime;
    runtime.watching = this.#watchers.size > 0;
    runtime.recordHistograms = runtime.options.deep || this.#watchers.size > 0 || this.#detailWatchers.size > 0;
  }

  #state(): State {
    return create(StateSchema, { temporality: this.#paused ? Temporality.PAUSED : Temporality.LIVE });
  }

  pause(): void {
    this.#setPaused(true);
  }

  resume(): void {
    this.#setPaused(false);
  }

  #setPaused(paused: boolean): void {
    if (this.#paused === paused) return;
    this.#paused = paused;
    for (const queue of this.#stateWatchers) {
      if (!queue.push(this.#state())) {
        queue.fail(fellBehind("state changes"));
        this.#stateWatchers.delete(queue);
      }
    }
  }
}
