/**
 * The programs the install test writes into the fresh project: one app per
 * way of starting insight, and the TypeScript files that must type-check
 * against the installed declarations. Each app spawns two named tasks that
 * wait forever, one on an `async-insight/sync` Channel (its wait is always
 * recorded) and one on a plain promise (recorded by the await tracker), then
 * keeps the process alive until the test kills it.
 */

export interface InstallApp {
  /** File name in the fresh project. */
  readonly file: string;
  /** How it is started: the node flags before the file. */
  readonly nodeArgs: readonly string[];
  readonly source: string;
}

const body = (spawn: string) => `const jobs = new Channel(1, { name: "install-jobs" });
const never = new Promise(() => {}); // made: never
${spawn}("install-receiver", async () => {
  await jobs.recv(); // await: receiver
});
${spawn}("install-sleeper", async () => {
  await never; // await: sleeper
});
// Keeps the process alive; the test ends it.
setInterval(() => {}, 1 << 30);
`;

/** (a) ESM, insight turned on in code. */
const initApp: InstallApp = {
  file: "app-init.mjs",
  nodeArgs: [],
  source: `import * as insight from "async-insight";
import { Channel } from "async-insight/sync";

insight.init();
${body("insight.spawn")}`,
};

/** (b) ESM without init(): `node --import async-insight/register` turns insight on. */
const importApp: InstallApp = {
  file: "app-import.mjs",
  nodeArgs: ["--import", "async-insight/register"],
  source: `import { spawn } from "async-insight";
import { Channel } from "async-insight/sync";

${body("spawn")}`,
};

/** (c) CommonJS, `node --require async-insight/register` (require of ESM, Node 20.19+ / 22.12+). */
const requireApp: InstallApp = {
  file: "app-require.cjs",
  nodeArgs: ["--require", "async-insight/register"],
  source: `"use strict";
const { spawn } = require("async-insight");
const { Channel } = require("async-insight/sync");

${body("spawn")}`,
};

export const INSTALL_APPS: readonly InstallApp[] = [initApp, importApp, requireApp];

export const TASK_NAMES = ["install-receiver", "install-sleeper"] as const;

/** 1-based line of the only line of `source` containing `text`. */
export function lineOf(source: string, text: string): number {
  const found = source.split("\n").flatMap((line, i) => (line.includes(text) ? [i + 1] : []));
  if (found.length !== 1) throw new Error(`expected one line with ${JSON.stringify(text)}, found ${found.length}`);
  return found[0]!;
}

/**
 * ESM TypeScript against the installed declarations: named types exist, and a
 * wrong option is an error (so the package is typed, not `any`).
 */
export const TYPED_ESM = `import * as insight from "async-insight";
import { Channel, Mutex, type PrimitiveOptions } from "async-insight/sync";

const options: insight.InsightOptions = { listenPort: 0, publishInterval: "1s" };
const handle: insight.TaskHandle<number> = insight.spawn("typed", async () => 1);
const jobs = new Channel<string>(1, { name: "jobs" } satisfies PrimitiveOptions);
const next: Promise<string | undefined> = jobs.recv();
const lock = new Mutex(0);
const version: string = insight.INSIGHT_VERSION;
// @ts-expect-error listenPort is a number
insight.init({ listenPort: "6669" });
export { options, handle, next, lock, version };
`;

/** CommonJS TypeScript: `import = require` of the ESM package (TypeScript 5.8+ with module nodenext). */
export const TYPED_CJS = `import insight = require("async-insight");
import sync = require("async-insight/sync");

const handle: insight.TaskHandle<void> = insight.spawn("typed-cjs", async () => {});
const jobs = new sync.Channel<number>(1);
// @ts-expect-error spawn needs a name
insight.spawn(async () => {});
export = { handle, jobs };
`;
