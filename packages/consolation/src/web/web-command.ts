/**
 * `consolation web [TARGET|RECORDING]`: watch a live target (or load a
 * recording) and serve the browser console until interrupted.
 */
import { ConsoleClient, watchTarget, type TargetWatch } from "@async-insight/client";
import { CliError } from "../cli/cli-error.js";
import { ReplayController } from "../playback/replay-controller.js";
import { ReplaySource } from "../playback/replay-source.js";
import { histogramsFromTarget } from "./task-histograms.js";
import { defaultDocsRoot, defaultWebRoot, webRootReady } from "./static-files.js";
import { WebFeed } from "./web-feed.js";
import { startWebServer, type RunningWebServer } from "./web-server.js";

export interface WebCommandOptions {
  readonly host: string;
  readonly port: number;
  readonly webRoot?: string;
  readonly docsRoot?: string;
  /** The option that sets `port`, for the "port in use" message. */
  readonly portFlag?: string;
  /** `--allow-host`: host names answered beyond loopback names and IP literals. */
  readonly allowedHosts?: readonly string[];
  /** Commands must carry it; {@link commandToken} gives one for a non-loopback host. */
  readonly token?: string;
}

export interface RunningWebConsole {
  readonly url: string;
  readonly feed: WebFeed;
  readonly server: RunningWebServer;
  stop(): Promise<void>;
}

function checkedWebRoot(options: WebCommandOptions): string {
  const root = options.webRoot ?? defaultWebRoot();
  if (!webRootReady(root)) throw new CliError(`the web page is not built (no ${root}/index.html); run: npm run build -w @async-insight/web`);
  return root;
}

async function serve(feed: WebFeed, options: WebCommandOptions, controls?: Parameters<typeof startWebServer>[0]["controls"]): Promise<RunningWebServer> {
  try {
    return await startWebServer({
      feed,
      webRoot: checkedWebRoot(options),
      docsRoot: options.docsRoot ?? defaultDocsRoot(),
      host: options.host,
      port: options.port,
      ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
      ...(options.token !== undefined ? { token: options.token } : {}),
      ...(controls ? { controls } : {}),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE")
      throw new CliError(`port ${options.port} on ${options.host} is already in use; pick another with ${options.portFlag ?? "--listen-port"}`);
    if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") throw new CliError(`cannot listen on ${options.host}: no such local address`);
    throw error;
  }
}

/** Live: keeps a client attached (reconnecting when the target restarts) and feeds the page. */
export async function startLiveWebConsole(target: URL, options: WebCommandOptions): Promise<RunningWebConsole> {
  const client = new ConsoleClient(target);
  const feed = new WebFeed({ target: client.label, controllable: true });
  const server = await serve(feed, options, {
    pause: () => client.pause(),
    resume: () => client.resume(),
    histograms: async (key) => {
      const span = feed.spanIdOf(key);
      return span === undefined ? undefined : histogramsFromTarget(client, span, key);
    },
  });
  const watch: TargetWatch = watchTarget(client, {
    onUpdate: (update) => feed.applyUpdate(update),
    onState: (state) => feed.applyState(state),
    onConnection: (state) => feed.setConnection(state),
    onNotice: (message) => feed.setNotice(message),
  });
  return {
    url: server.url,
    feed,
    server,
    stop: async () => {
      watch.stop();
      feed.close();
      await server.close();
      await watch.done;
    },
  };
}

export async function openReplay(path: string): Promise<ReplaySource> {
  let replay: ReplaySource;
  try {
    replay = await ReplaySource.open(path);
  } catch (error) {
    throw new CliError(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (replay.format === undefined) throw new CliError(`${path}: not a recording or trace consolation can read`);
  return replay;
}

/**
 * A recording or trace file: positioned at its end by default, so the page
 * first shows the final state (the post-mortem view); the page's playback
 * controls then drive the ReplaySource through POST /api/replay.
 */
export async function startRecordingWebConsole(
  path: string,
  options: WebCommandOptions,
  replayOptions: { readonly source?: ReplaySource; readonly startIndex?: number } = {},
): Promise<RunningWebConsole> {
  const replay = replayOptions.source ?? (await openReplay(path));
  const controller = new ReplayController(replay);
  const feed = new WebFeed({ target: path, controllable: false });
  const unsubscribe = replay.subscribe({
    reset: () => feed.reset(),
    update: (update) => {
      feed.applyUpdate(update);
      feed.setReplay(controller.status());
    },
    position: () => feed.setReplay(controller.status()),
  });
  replay.seekIndex(replayOptions.startIndex ?? replay.frames.length);
  if (replay.problemCount > 0) feed.setNotice(`${replay.problemCount} line(s) of the recording could not be read`);
  const server = await serve(feed, options, {
    pause: () => Promise.reject(new Error("a recording cannot be paused")),
    resume: () => Promise.reject(new Error("a recording cannot be resumed")),
    replay: (command) => {
      const status = controller.run(command);
      feed.setReplay(status);
      return status;
    },
  });
  return {
    url: server.url,
    feed,
    server,
    stop: async () => {
      replay.pause();
      unsubscribe();
      feed.close();
      await server.close();
    },
  };
}
