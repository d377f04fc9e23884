/** Which problems `consolation check` denies (fail the check) and which it never reports. */
import { lintDefinitions, type LintConfig } from "@async-insight/engine";
import { checkLintIds } from "../cli/lint-options.js";

/** Problems that mean a hang: denied unless the user allows them. */
export const DENIED_BY_DEFAULT = lintDefinitions()
  .filter((l) => l.severity === "error")
  .map((l) => l.id);

/** Denied: the defaults and --deny, less what --allow names (unless --deny names it too). Allowed lints are not reported. */
export function checkConfig(opts: { deny?: string[]; allow?: string[] }): LintConfig {
  const all = lintDefinitions().map((l) => l.id);
  const expand = (ids: readonly string[] | undefined): string[] => (ids?.includes("all") ? all : [...(ids ?? [])]);
  const denied = expand(opts.deny);
  const allowed = new Set(expand(opts.allow).filter((id) => !denied.includes(id)));
  const deny = [...new Set([...DENIED_BY_DEFAULT, ...denied])].filter((id) => !allowed.has(id));
  const config = { deny, allow: [...allowed] };
  checkLintIds(config);
  return config;
}
