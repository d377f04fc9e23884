/**
 * A project outside the repository with our tarballs installed, as a user
 * gets it: `node scripts/pack.mjs` packs, `npm install` installs the tarballs
 * (our packages never come from the registry; third-party ones do, through
 * the npm cache), and commands run there see nothing of the workspace.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = realpathSync(fileURLToPath(new URL("../../", import.meta.url)));

/**
 * The environment without what `npm test` / `npm run` exports (npm_config_*,
 * npm_package_*, INIT_CWD...): a fresh project's npm must not inherit the
 * workspace's settings, nor Node options a test runner set.
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (
      /^npm_/i.test(name) ||
      name === "INIT_CWD" ||
      name === "NODE_OPTIONS" ||
      name === "NODE_PATH" ||
      name.startsWith("VITEST") ||
      name.startsWith("INSIGHT_")
    )
      continue;
    env[name] = value;
  }
  return { ...env, ...extra };
}

export interface CommandResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = cleanEnv()): CommandResult {
  const result = spawnSync(command, args, { cwd, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function runOrThrow(command: string, args: readonly string[], cwd: string): string {
  const result = run(command, args, cwd);
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (exit ${result.status}):\n${result.stderr}${result.stdout}`);
  return result.stdout;
}

/** Packs every package a user installs (dist/ must be built) into `dir`; returns the tarball paths. */
export function packAll(dir: string): string[] {
  const stdout = runOrThrow(process.execPath, [join(repoRoot, "scripts", "pack.mjs"), dir, "--no-build"], repoRoot);
  return stdout.split("\n").filter((line) => line.endsWith(".tgz"));
}

/** A new, empty project in the OS temp dir, checked to be outside the repository. */
export function freshProject(prefix: string): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  const rel = relative(repoRoot, dir);
  if (!rel.startsWith(`..${sep}`) && rel !== "..") throw new Error(`${dir} is inside the repository`);
  mkdirSync(join(dir, "app"));
  const app = join(dir, "app");
  writeFileSync(join(app, "package.json"), `${JSON.stringify({ name: "install-check-app", version: "1.0.0", private: true }, null, 2)}\n`);
  return app;
}

/** `npm install` of the tarballs (and any registry packages named) into the project. */
export function npmInstall(project: string, specs: readonly string[]): void {
  runOrThrow("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel", "error", ...specs], project);
}

/** A long-running process in its own process group, ended with `stop`. */
export interface Started {
  readonly child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

export function start(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Started {
  const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let text = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
  return {
    child,
    output: () => text,
    async stop() {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        try {
          // The group: npx and the like run the real program as a child.
          process.kill(-child.pid, "SIGKILL");
        } catch {
          // Already gone.
        }
      }
      await exited;
    },
  };
}
