/**
 * insight: instruments a Node.js program and serves it on the console wire
 * protocol (console-api 0.9), so tokio-console and consolation can look inside.
 *
 *   import * as insight from "async-insight";
 *   insight.init();                      // console on 127.0.0.1:6669
 *   insight.spawn("worker", async () => { ... });
 *
 * Primitives (Channel, Mutex, ...) are at `async-insight/sync`; `node --import
 * async-insight/register app.js` starts insight without code changes.
 */
export {
  init,
  shutdown,
  instance,
  DIAGNOSTICS_CHANNEL,
  LISTENING_CHANNEL,
  type Insight,
  type InsightDiagnostic,
  type InsightListening,
  type InsightOptions,
  type ServerAddress,
} from "./insight.js";
export { spawn, currentTask, TaskHandle, type SpawnOptions, type TaskInfo } from "./spawn.js";
export const INSIGHT_VERSION = "0.1.0";
