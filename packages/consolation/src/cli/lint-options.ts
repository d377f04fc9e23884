/**
 * `--warn` and `--allow`, as tokio-console spells them: which lints the
 * console reports. Ids may be repeated or comma-separated; `--allow all`
 * silences everything not named in `--warn`.
 */
import { Option, type Command } from "commander";
import { lintDefinitions, LintConfigError, resolveLintLevels, type LintConfig } from "@async-insight/engine";
import { CliError } from "./cli-error.js";

export interface LintFlags {
  warn?: string[];
  allow?: string[];
}

/** Lint ids from a repeatable, comma-separated option. */
export const collectIds = (value: string, previous: string[] | undefined): string[] => [
  ...(previous ?? []),
  ...value
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean),
];

export const knownLints = (): string =>
  lintDefinitions()
    .map((l) => l.id)
    .join(", ");

export function addLintOptions(command: Command): Command {
  return command
    .addOption(new Option("--warn <lints>", "report only these lints, comma-separated or repeated (default: all)").argParser(collectIds))
    .addOption(
      new Option("--allow <lints>", "never report these lints, comma-separated or repeated; `all` silences every lint not in --warn").argParser(collectIds),
    );
}

/** Checks the ids up front, so a typo fails at start with the list of valid ones. */
export function lintConfigFrom(flags: LintFlags): LintConfig {
  const allowAll = flags.allow?.includes("all") ?? false;
  const config: LintConfig = {
    ...(flags.warn ? { warn: flags.warn } : {}),
    ...(flags.allow ? { allow: allowAll ? "all" : flags.allow } : {}),
  };
  checkLintIds(config);
  // `--warn x --allow all`: the named ones stay on, as with tokio-console.
  return allowAll && flags.warn ? { warn: flags.warn } : config;
}

/** Has the engine check every id in `config`; an unknown one is a usage error (exit 2) listing the valid ids. */
export function checkLintIds(config: LintConfig): void {
  try {
    resolveLintLevels(config);
  } catch (error) {
    if (error instanceof LintConfigError) throw new CliError(`${error.message}; known lints: ${knownLints()} (or all)`, 2);
    throw error;
  }
}
