/** Wires `consolation web` into the command line. */
import { existsSync, statSync } from "node:fs";
import { Option, type Command } from "commander";
import type { CommandContext } from "../cli/command-context.js";
import { portNumber } from "../cli/port-number.js";
import { portOption, resolveTarget } from "../cli/target-option.js";
import { collectValues, exposureFor, exposureWarning, pageUrl } from "./web-exposure.js";
import type { RunningWebConsole } from "./web-command.js";

export const DEFAULT_WEB_PORT = 6670;

interface WebOptions {
  port?: number;
  host: string;
  listenPort: number;
  allowHost?: string[];
  commandToken?: string;
}

/** A path to an existing file is a recording to replay; anything else is a live target. */
function isRecording(target: string | undefined, port: number | undefined): target is string {
  return target !== undefined && port === undefined && existsSync(target) && statSync(target).isFile();
}

export function registerWeb(program: Command, context: CommandContext): void {
  program
    .command("web")
    .description("serve the browser console: live task table, dependency graph, timelines, problems and downloads")
    .argument("[target]", "console server to watch (default http://127.0.0.1:6669), or a recording file")
    .addOption(portOption())
    .addOption(new Option("--host <address>", "address to serve the page on; anything but loopback exposes the target to your network").default("127.0.0.1"))
    .addOption(
      new Option("--listen-port <N>", "port to serve the page on (0 picks a free one)").default(DEFAULT_WEB_PORT).argParser(portNumber("--listen-port")),
    )
    .addOption(
      new Option(
        "--allow-host <name>",
        "with --host: also answer requests addressed to this host name (loopback names and IP addresses always are); repeatable",
      ).argParser(collectValues),
    )
    .addOption(
      new Option(
        "--command-token <token>",
        "with --host: the token the page's commands (pause, resume, playback) must carry (default: a random one, printed in the address)",
      ),
    )
    .action(async (target: string | undefined, opts: WebOptions) => {
      const exposure = exposureFor(opts.host, opts.allowHost, opts.commandToken);
      const serveOptions = { host: opts.host, port: opts.listenPort, ...exposure };
      // The web server is loaded only when this command runs, so the other commands never load it.
      const { startLiveWebConsole, startRecordingWebConsole } = await import("./web-command.js");
      let running: RunningWebConsole;
      if (isRecording(target, opts.port)) {
        running = await startRecordingWebConsole(target, serveOptions);
        context.out(`consolation web: serving ${pageUrl(running.url, exposure)} (recording ${target})\n`);
      } else {
        const url = resolveTarget(target, opts.port);
        running = await startLiveWebConsole(url, serveOptions);
        context.out(`consolation web: serving ${pageUrl(running.url, exposure)} (watching ${running.feed.snapshot().target})\n`);
      }
      const warning = exposureWarning("consolation web", opts.host, exposure, "the target's tasks");
      if (warning) context.err(warning);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
      });
      await running.stop();
      // Open HTTP/2 sessions to the target would otherwise keep the process alive.
      process.exit(0);
    });
}
