import { spawnSync } from "node:child_process";

/** Runs a command with inherited output; exits the script if it fails. */
export function run(command, args, options = {}) {
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: "inherit", ...options });
  if (result.error) {
    console.error(`${command}: ${result.error.message}`);
    process.exit(1);
  }
  if (result.status !== 0 && !options.allowFailure) {
    console.error(`${command} ${args.join(" ")} failed (exit ${result.status})`);
    process.exit(result.status ?? 1);
  }
  return { status: result.status ?? 1, seconds: (Date.now() - started) / 1000 };
}

export function has(command) {
  return spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;
}

export function log(message) {
  console.log(`\x1b[36m[insight]\x1b[0m ${message}`);
}
