/**
 * One HTTP/2 connection to a target, shared by every call a console makes,
 * opened on first use and again after it fails or the target closes it.
 *
 * A target that stops answering must surface as a broken stream, not as a
 * console that waits forever: while calls are open the connection is
 * pinged, and one unanswered ping ends it with an error every open call
 * sees. While no call is open the connection does not keep the process
 * alive, so a one-shot command (`dump`) exits when it is done.
 */
import { connect, type ClientHttp2Session } from "node:http2";

export interface ChannelOptions {
  readonly pingIntervalMs?: number;
  readonly pingTimeoutMs?: number;
}

/** The error a connection that missed a ping ends with. */
export class PingTimeoutError extends Error {
  override name = "PingTimeoutError";
}

export class Http2Channel {
  readonly #origin: string;
  readonly #pingIntervalMs: number;
  readonly #pingTimeoutMs: number;
  #session: ClientHttp2Session | undefined;
  /** Why the current connection failed, for calls that only see "stream closed". */
  #failure: Error | undefined;
  #openCalls = 0;
  #pinger: NodeJS.Timeout | undefined;

  constructor(origin: string, options: ChannelOptions = {}) {
    this.#origin = origin;
    this.#pingIntervalMs = options.pingIntervalMs ?? 10_000;
    this.#pingTimeoutMs = options.pingTimeoutMs ?? 10_000;
  }

  /** The live connection, opening a new one when there is none. */
  session(): ClientHttp2Session {
    const current = this.#session;
    if (current && !current.closed && !current.destroyed) return current;
    const session = connect(this.#origin);
    this.#session = session;
    this.#failure = undefined;
    // Without a listener an 'error' event would throw into the console's event loop.
    session.on("error", (error: Error) => {
      if (this.#session === session) this.#failure = error;
    });
    session.on("close", () => {
      if (this.#session === session) this.#stopPinging();
    });
    if (this.#openCalls === 0) session.unref();
    else this.#startPinging();
    return session;
  }

  /** The error the connection that `session` was failed with, if any. */
  failureOf(session: ClientHttp2Session): Error | undefined {
    return this.#session === session ? this.#failure : undefined;
  }

  /** A call started: keep the process alive and watch the connection. */
  callOpened(): void {
    this.#openCalls += 1;
    if (this.#openCalls === 1) {
      this.#session?.ref();
      this.#startPinging();
    }
  }

  callClosed(): void {
    this.#openCalls = Math.max(0, this.#openCalls - 1);
    if (this.#openCalls === 0) {
      this.#stopPinging();
      const session = this.#session;
      if (session && !session.destroyed) session.unref();
    }
  }

  #startPinging(): void {
    if (this.#pinger) return;
    this.#pinger = setInterval(() => this.#ping(), this.#pingIntervalMs);
    this.#pinger.unref();
  }

  #stopPinging(): void {
    if (this.#pinger) clearInterval(this.#pinger);
    this.#pinger = undefined;
  }

  #ping(): void {
    const session = this.#session;
    if (!session || session.closed || session.destroyed) return;
    const timeout = setTimeout(() => {
      const error = new PingTimeoutError(`no answer to a ping within ${this.#pingTimeoutMs / 1000}s`);
      // Set now: the open calls see their streams end before the session's 'error' event is emitted.
      if (this.#session === session) this.#failure = error;
      session.destroy(error);
    }, this.#pingTimeoutMs);
    timeout.unref();
    const sent = session.ping(() => clearTimeout(timeout));
    if (!sent) clearTimeout(timeout);
  }
}
