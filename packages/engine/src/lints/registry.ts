/**
 * The lint registry: definitions, level resolution in the manner of
 * tokio-console's `--warn`/`--allow` (plus `deny`, which makes `check`
 * fail), and running the enabled lints against a store.
 */
import type { LintConfig, LintDefinition, LintLevel, Problem, Severity } from "../model.js";
import type { RuntimeStore } from "../store/store.js";
import { autoBoxedFuture } from "./auto-boxed-future.js";
import { blockedOnFullChannel } from "./blocked-on-full-channel.js";
import { deadlockCycle } from "./deadlock-cycle.js";
import { detachedTask } from "./detached-task.js";
import { highScheduledTime } from "./high-scheduled-time.js";
import { largeFuture } from "./large-future.js";
import { likelyDeadlock } from "./likely-deadlock.js";
import { DEFAULT_THRESHOLDS, type Lint } from "./lint.js";
import { limiterSlotsHeldByStuck } from "./limiter-slots-held-by-stuck.js";
import { lockHeldAcrossStuckAwait } from "./lock-held-across-stuck-await.js";
import { lockHeldWhileIdle } from "./lock-held-while-idle.js";
import { longPoll } from "./long-poll.js";
import { lostWaker } from "./lost-waker.js";
import { neverWoken } from "./never-woken.js";
import { neverYielded } from "./never-yielded.js";
import { pendingAtExit } from "./pending-at-exit.js";
import { permitsHeldWhileIdle } from "./permits-held-while-idle.js";
import { poolExhaustedByIdleHolders } from "./pool-exhausted-by-idle-holders.js";
import { selfWakes } from "./self-wakes.js";

const LINTS: readonly Lint[] = [
  selfWakes,
  lostWaker,
  neverYielded,
  autoBoxedFuture,
  largeFuture,
  deadlockCycle,
  likelyDeadlock,
  blockedOnFullChannel,
  longPoll,
  highScheduledTime,
  lockHeldWhileIdle,
  permitsHeldWhileIdle,
  poolExhaustedByIdleHolders,
  limiterSlotsHeldByStuck,
  lockHeldAcrossStuckAwait,
  detachedTask,
  neverWoken,
  pendingAtExit,
];

/** tokio-console's own five, for a `--tokio-only` style preset. */
export const TOKIO_CONSOLE_LINTS: readonly string[] = ["self-wakes", "lost-waker", "never-yielded", "auto-boxed-future", "large-future"];

export class LintConfigError extends Error {
  override name = "LintConfigError";
}

/** Every lint the engine knows, in registry order. */
export function lintDefinitions(): LintDefinition[] {
  return LINTS.map((l) => l.definition);
}

export function lintDefinition(id: string): LintDefinition | undefined {
  return LINTS.find((l) => l.definition.id === id)?.definition;
}

/**
 * The level of every lint: `deny` if denied; else `warn` if in `warn`
 * (default: all) and not in `allow`; else `allow`. Unknown ids throw.
 */
export function resolveLintLevels(config: LintConfig = {}): Map<string, LintLevel> {
  const ids = LINTS.map((l) => l.definition.id);
  const known = new Set(ids);
  const lists = [config.warn ?? [], config.allow === "all" ? [] : (config.allow ?? []), config.deny ?? []];
  const unknown = lists.flat().filter((id) => !known.has(id));
  if (unknown.length > 0) throw new LintConfigError(`unknown lint${unknown.length === 1 ? "" : "s"}: ${unknown.join(", ")}`);
  const warn = new Set(config.warn ?? ids);
  const allow = new Set(config.allow === "all" ? ids : (config.allow ?? []));
  const deny = new Set(config.deny ?? []);
  return new Map(ids.map((id) => [id, deny.has(id) ? "deny" : warn.has(id) && !allow.has(id) ? "warn" : "allow"]));
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Runs the enabled lints; problems come most severe first, then by lint and subject. */
export function runLints(store: RuntimeStore, config: LintConfig = {}): Problem[] {
  const levels = resolveLintLevels(config);
  const context = { store, now: store.now, thresholds: { ...DEFAULT_THRESHOLDS, ...config.thresholds } };
  const problems: Problem[] = [];
  for (const lint of LINTS) {
    const level = levels.get(lint.definition.id);
    if (level === undefined || level === "allow") continue;
    const { id, severity, docsPath } = lint.definition;
    for (const draft of lint.check(context)) {
      problems.push({
        id: `${id}:${draft.subject}`,
        lint: id,
        severity,
        level,
        message: draft.message,
        docsPath,
        tasks: draft.tasks,
        resources: draft.resources ?? [],
        locations: draft.locations ?? [],
        ...(draft.cycle ? { cycle: draft.cycle } : {}),
        ...(draft.starved ? { starved: draft.starved } : {}),
      });
    }
  }
  return problems.sort(
    (a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || (a.lint < b.lint ? -1 : a.lint > b.lint ? 1 : a.id < b.id ? -1 : 1),
  );
}

/** Problems per lint id, for a warnings box ("3 tasks have lost their wakers"). */
export function countByLint(problems: readonly Problem[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const p of problems) counts.set(p.lint, (counts.get(p.lint) ?? 0) + 1);
  return counts;
}
