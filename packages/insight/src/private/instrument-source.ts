/**
 * The console server's view of the runtime: a full snapshot when a console
 * connects, then one delta per publish interval to every watcher, Pause and
 * Resume, and per-task details. A watcher that falls behind by more than a
 * few updates is disconnected rather than buffered without limit; consoles
 * reconnect and get a fresh snapshot.
 */
import { create } from "@bufbuild/protobuf";
import { StateSchema, Temporality, type State, type Update, type tasks } from "@insight/protocol";
import { GrpcError, GrpcStatus, MessageQueue, type InstrumentSource } from "@insight/protocol/server";
import { now } from "./clock.js";
import { debug, guarded } from "./debug.js";
import type { Runtime } from "./runtime.js";
import type { UpdateSink } from "./file-recorder.js";
import { WireBuilder } from "./wire.js";

/** Updates a slow console may have queued before it is dropped (console-subscriber: 4096). */
const CLIENT_BUFFER = 64;

export class RuntimeSource implements InstrumentSource {
  readonly #runtime: Runtime;
  readonly #wire: WireBuilder;
  readonly #watchers = new Set<MessageQueue<Update>>();
  readonly #detailWatchers = new Set<{ taskSpanId: number; queue: MessageQueue<tasks.TaskDetails> }>();
  readonly #stateWatchers = new Set<MessageQueue<State>>();
  #paused = false;
  #timer: NodeJS.Timeout | undefined;
  /** Gets every update, like a console that never disconnects (a recording). */
  #recorder: UpdateSink | undefined;

  constructor(runtime: Runtime) {
    this.#runtime = runtime;
    this.#wire = new WireBuilder(runtime);
  }

  get wire(): WireBuilder {
    return this.#wire;
  }

  get watching(): boolean {
    return this.#watchers.size > 0;
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
    for (const queue of this.#watchers) queue.close();
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
      for (const queue of this.#watchers) {
        if (!queue.push(update)) {
          debug("a console fell %d updates behind; disconnecting it", CLIENT_BUFFER);
          queue.close();
          this.#watchers.delete(queue);
          this.#syncHistograms();
        }
      }
    } else {
      // Nobody watching: a console that connects later gets a full snapshot
      // (of what retention and the short-lived budget kept).
      runtime.clearDeltas();
      this.#wire.metadata.takePending();
    }
    for (const watcher of this.#detailWatchers) {
      const task = runtime.tasks.get(watcher.taskSpanId);
      if (task) watcher.queue.push(this.#wire.taskDetails(task));
    }
  }

  watchUpdates(signal: AbortSignal): AsyncIterable<Update> {
    const queue = new MessageQueue<Update>(CLIENT_BUFFER);
    queue.push(this.#wire.snapshot());
    this.#watchers.add(queue);
    this.#syncHistograms();
    signal.addEventListener(
      "abort",
      () => {
        this.#watchers.delete(queue);
        this.#syncHistograms();
      },
      { once: true },
    );
    return queue.closeOn(signal);
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
    for (const queue of this.#stateWatchers) queue.push(this.#state());
  }
}
