/**
 * Shared by the adapter tests: starts a test app (insight by init() in the app, APP_INIT=1, or by
 * `node --import async-insight/register`), reads its state through the real wire with the built
 * `consolation dump --json` (run `npx tsc -b` first), and finds lines by their marker comments.
 * INSIGHT_AWAITS=always: the generic await tracker notes every await, so a test can check that it
 * does NOT also report the waits an adapter reports.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runCli } from "../cli/run-cli.js";

export interface DumpOp {
  id: string;
  source: string;
  taskId: string;
  resourceId: string;
  pending: boolean;
  location?: string;
  attributes: Record<string, { value: unknown }>;
}
export interface DumpResource {
  id: string;
  concreteType: string;
  location?: string;
  attributes: Record<string, { value: unknown }>;
}
export interface Dump {
  resources: DumpResource[];
  asyncOps: DumpOp[];
}

export type StartMode = "init" | "import";
export const START_MODES: readonly StartMode[] = ["init", "import"];

export interface RunningApp {
  readonly child: ChildProcess;
  readonly console: number;
  readonly info: Record<string, unknown>;
  dump(): Promise<Dump>;
  /** Writes a line to the app's stdin (the apps use it as "go on"). */
  poke(): void;
  stop(): void;
}

export async function startApp(file: string, mode: StartMode): Promise<RunningApp> {
  const child = spawn(process.execPath, [...(mode === "import" ? ["--import", "async-insight/register"] : []), file], {
    cwd: dirname(file),
    env: { ...process.env, INSIGHT_BIND: "127.0.0.1:0", INSIGHT_AWAITS: "always", APP_INIT: mode === "init" ? "1" : "0" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += String(chunk)));
  const [line] = (await Promise.race([once(child.stdout!, "data"), once(child, "exit").then(() => Promise.reject(new Error(`app exited: ${stderr}`)))])) as [
    Buffer,
  ];
  const info = JSON.parse(String(line).split("\n")[0]!) as { console: number } & Record<string, unknown>;
  return {
    child,
    console: info.console,
    info,
    async dump() {
      const result = await runCli(["dump", "--json", "--all-ops", `127.0.0.1:${info.console}`]);
      if (result.code !== 0) throw new Error(`dump failed (${result.code}): ${result.stderr}`);
      return JSON.parse(result.stdout) as Dump;
    },
    poke() {
      child.stdin!.write("go\n");
    },
    stop() {
      child.kill();
    },
  };
}

/** The 1-based line of the one line of `file` containing `marker`. */
export function lineOf(file: string, marker: string): number {
  const lines = readFileSync(file, "utf8").split("\n");
  const found = lines.flatMap((line, i) => (line.includes(marker) ? [i + 1] : []));
  if (found.length !== 1) throw new Error(`expected one line with ${marker} in ${file}, found ${found.length}`);
  return found[0]!;
}

export function sourceText(file: string, line: number): string {
  return readFileSync(file, "utf8").split("\n")[line - 1]!.trim();
}

/** `file:line` of a location `file:line:column`. */
export const lineOfLocation = (location: string | undefined) => location?.replace(/:\d+$/, "");

export const attr = (entity: { attributes: Record<string, { value: unknown }> }, name: string) => entity.attributes[name]?.value;

/** A wait as the adapter tests compare it: whose, on what, at which await line, and the reason's words. */
export const waitView = (o: DumpOp) => ({
  task: Number(o.taskId),
  resource: o.resourceId,
  at: lineOfLocation(o.location),
  line: attr(o, "insight.await_line"),
  reason: attr(o, "insight.reason"),
});

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** `name@version` of the installed library, as `insight.library` names it. */
export function libraryOf(name: string): string {
  const json = JSON.parse(readFileSync(join(ROOT, "node_modules", name, "package.json"), "utf8")) as { version: string };
  return `${name}@${json.version}`;
}
