/** Starts the web console in-process against a target, on a free loopback port. */
import { startLiveWebConsole, type RunningWebConsole } from "../../packages/consolation/src/web/web-command.js";
import { ensureWebBuilt } from "./browser.js";

export function startWebConsole(target: string): Promise<RunningWebConsole> {
  ensureWebBuilt();
  return startLiveWebConsole(new URL(target), { host: "127.0.0.1", port: 0 });
}
