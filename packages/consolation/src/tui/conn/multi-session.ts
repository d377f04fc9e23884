/**
 * The live console over several targets: one connection and one engine
 * store per target (a restart of one process resets only its own state),
 * shown through one MultiView. With discovery, the directory is read again
 * every few seconds: new processes join, and a process that has ended (its
 * pid is gone) leaves the session.
 *
 * The app loop sees one Feed and one ViewStore, as with a single target:
 * the feed applies each update to its target's store itself and tells the
 * app that something changed.
 */
import type { LintConfig } from "@async-insight/engine";
import type { Update } from "@async-insight/protocol";
import { ConsoleClient, watchTarget, type ConnectionState, type TargetWatch } from "@async-insight/client";
import { RestartDetector } from "../../wording/process-change.js";
import { startPauseToggle, type Feed, type FeedSink } from "./feed.js";
import { createViewStore } from "../state/create-view-store.js";
import type { ViewStore } from "../state/view-store.js";
import type { RuntimeView } from "../state/view-model.js";
import type { ConnectionInfo } from "../view/render-input.js";
import { pidAlive, readDiscoveryDir } from "../../targets/discovery-dir.js";
import { keyPrefix, MultiView, type ViewPart } from "../state/multi-view.js";
import { discoveredTargets, type NamedTarget } from "../../targets/target-set.js";

export interface DiscoveryWatch {
  readonly dir: string | undefined;
  readonly token: string | undefined;
  /** How often the directory is read again. Default 2 s. */
  readonly intervalMs?: number;
}

interface Watched extends ViewPart {
  readonly target: NamedTarget;
  readonly source: ViewStore;
  readonly client: ConsoleClient;
  watch: TargetWatch | undefined;
  connection: ConnectionState;
}

export class MultiTargetSession {
  readonly source: ViewStore;
  readonly feed: Feed;
  readonly #watched: Watched[] = [];
  readonly #lints: LintConfig | undefined;
  #nextId = 1;
  #sink: FeedSink | undefined;

  constructor(targets: readonly NamedTarget[], lints: LintConfig | undefined, discovery?: DiscoveryWatch) {
    this.#lints = lints;
    for (const target of targets) this.#add(target);
    const view = new MultiView(() => this.#watched);
    const session = this;
    this.source = {
      // The feed applies updates to each target's own store; the app's calls land here only on a reset.
      applyUpdate: () => {},
      reset: () => this.#watched.forEach((w) => w.source.reset()),
      taskCreatedAt: () => undefined,
      view: (): RuntimeView => view,
    };
    let timer: NodeJS.Timeout | undefined;
    this.feed = {
      initialConnection: this.#connectionInfo({ target: "", state: { status: "connecting" }, temporality: "live" }),
      helpLines: ["Several targets: the Proc column names each task's process (pid, /tN for a worker thread); see docs/processes.md."],
      start(sink) {
        session.#sink = sink;
        for (const w of session.#watched) session.#start(w);
        if (discovery) {
          timer = setInterval(() => session.#rescan(discovery), discovery.intervalMs ?? 2000);
          timer.unref();
        }
      },
      stop() {
        clearInterval(timer);
        for (const w of session.#watched) w.watch?.stop();
      },
      togglePause: () => this.#togglePause(),
      // The task view's histograms come from the task's own target.
      detailsClient: (taskKey) => this.#watched.find((w) => taskKey.startsWith(keyPrefix(w)))?.client,
    };
  }

  /** The targets watched now (for tests and the plain report). */
  get targets(): readonly NamedTarget[] {
    return this.#watched.map((w) => w.target);
  }

  #add(target: NamedTarget): Watched {
    const client = new ConsoleClient(target.url);
    const source = createViewStore(this.#lints);
    const watched: Watched = {
      id: this.#nextId++,
      label: target.label,
      view: () => source.view(),
      target,
      source,
      client,
      watch: undefined,
      connection: { status: "connecting" },
    };
    this.#watched.push(watched);
    return watched;
  }

  #start(w: Watched): void {
    const sink = this.#sink;
    if (!sink) return;
    const restarts = new RestartDetector((spanId) => w.source.taskCreatedAt(spanId));
    w.watch = watchTarget(w.client, {
      onUpdate: (update: Update) => {
        if (restarts.startsNewProcess(update)) {
          w.source.reset();
          sink.notice(`${w.label} restarted: showing the new process`);
        }
        w.source.applyUpdate(update);
        sink.changed();
      },
      onConnection: (state) => {
        if (state.status === "connected") restarts.connected();
        w.connection = state;
        sink.connection((c) => this.#connectionInfo(c));
      },
      onNotice: (message) => sink.connection((c) => ({ ...c, notice: `${w.label}: ${message}` })),
    });
  }

  #rescan(discovery: DiscoveryWatch): void {
    const sink = this.#sink;
    if (!sink) return;
    let changed = false;
    const listed = discoveredTargets(readDiscoveryDir(discovery.dir), discovery.token);
    const present = new Set(listed.map((t) => t.url.host));
    // Discovered processes and threads that ended leave (their entry is gone, or their pid is): their connections would retry forever.
    for (const w of [...this.#watched]) {
      if (w.target.discovered && (!present.has(w.target.url.host) || !pidAlive(w.target.server!.pid))) {
        w.watch?.stop();
        this.#watched.splice(this.#watched.indexOf(w), 1);
        changed = true;
      }
    }
    const known = new Set(this.#watched.map((w) => w.target.url.host));
    for (const target of listed) {
      if (known.has(target.url.host)) continue;
      this.#start(this.#add(target));
      changed = true;
    }
    if (changed) sink.connection((c) => this.#connectionInfo(c));
  }

  /** One header for all: "3 processes" and the worst connection state among them. */
  #connectionInfo(current: ConnectionInfo): ConnectionInfo {
    const n = this.#watched.length;
    const connected = this.#watched.filter((w) => w.connection.status === "connected").length;
    const troubled = this.#watched.find((w) => w.connection.status === "reconnecting");
    const waiting = this.#watched.some((w) => w.connection.status === "connecting");
    const target = `${n} process${n === 1 ? "" : "es"}${connected < n ? `, ${connected} connected` : ""}`;
    let state: ConnectionState;
    if (troubled && troubled.connection.status === "reconnecting")
      state = { ...troubled.connection, reason: `${troubled.label}: ${troubled.connection.reason}` };
    else if (waiting || n === 0) state = { status: "connecting" };
    else state = { status: "connected", since: Date.now() };
    return { ...current, target, state };
  }

  #togglePause(): void {
    const sink = this.#sink;
    if (!sink) return;
    const pausing = startPauseToggle(sink);
    void Promise.allSettled(this.#watched.map((w) => (pausing ? w.client.pause() : w.client.resume()))).then((results) => {
      const failed = results.filter((r) => r.status === "rejected").length;
      sink.connection((c) => ({ ...c, temporality: pausing ? "paused" : "live" }));
      if (failed > 0) sink.notice(`could not ${pausing ? "pause" : "resume"} ${failed} of ${results.length} targets`);
    });
  }
}
