/**
 * Awaits of any promise (issue 14 item 2): where a task is suspended in user
 * code, and what it awaits, as far as Node can tell, for promises that are
 * not insight primitives (docs/model.md, "Awaits of any promise").
 *
 * V8's promise hook `init(promise, parent)` runs for the throwaway promise of
 * every `await`, with the awaited promise as `parent` and the awaiting
 * function on top of the stack. The first await of a task in each run (one
 * synchronous run between two promise jobs) is the innermost one: the task is
 * suspended there, and V8's async stack frames name the app's own await
 * further down even when it is suspended in a caller. When that first await
 * is inside a library or Node (undici's connect, say), the app's own await
 * that follows in the run is noted too, and shown once the inner one is over
 * (await-note.ts `primary`). A combinator's inputs are read as it calls
 * `then` on them (await-combinators.ts), so awaiting `Promise.all` shows each
 * pending input. Root promises (no parent) created in a task get a structured
 * stack, unread, so the awaited one can later say which Node API or library
 * line made it; a `.then`/`.catch` remembers its parent for the same reason.
 *
 * Cost: a hook call per promise created anywhere, a stack capture per promise
 * created in a task and per derived promise looked at (each capped per task
 * and run, await-hooks.ts) and per noted await. So the hooks are installed only while a console watches (or did in the last
 * minute) or a recording runs, or in deep mode; INSIGHT_AWAITS=always keeps
 * them on, =off never. Awaits that began before are not seen. Captures are
 * capped per second (CAPTURES_PER_SECOND); past the cap the hooks come off
 * until the next second; Node's module loader, working in the main task
 * before the app's modules run (`node --import async-insight/register`), is
 * passed over without spending it (await-loading.ts). The diagnostics channels that name emitters
 * (await-emitters.ts) and fetch URLs are subscribed only while armed too.
 *
 * Like joins (join-wait.ts), a noted await is recorded as a resource and an
 * async op only at the next publish, and only if still pending. Nothing here
 * holds the awaited promise or the task's context for long: the settle
 * callback lives on the awaited promise, the run's few promises are let go at
 * the next promise job (or within a second), and what maps promises to their
 * creation, parent or inputs is a WeakMap; so a promise nothing can settle is
 * garbage with its note, and the GC proof judges its wait
 * (collected-waits.ts).
 */
import diagnosticsChannel from "node:diagnostics_channel";
import { promiseHooks } from "node:v8";
import { debug, guarded } from "./debug.js";
import { watchEmitters } from "./await-emitters.js";
import { hooksCameOn } from "./await-loading.js";
import { budgetLeft, forgetRun, onBefore, onBudgetExhausted, onFetch, onInit, refillBudget } from "./await-hooks.js";
import type { Runtime } from "./runtime.js";
import { taskStorage } from "./task-context.js";

export { AwaitNote } from "./await-note.js";
export { CAPTURES_PER_SECOND, claimPromise, joinAwaited, joinSite, type AwaitStacks } from "./await-hooks.js";

export type AwaitMode = "watched" | "always" | "off";

export function awaitMode(environment: NodeJS.ProcessEnv = process.env): AwaitMode {
  const value = environment.INSIGHT_AWAITS;
  return value === "always" || value === "off" ? value : "watched";
}

/**
 * Installs and removes the hooks as `wanted()` changes (checked every second,
 * and whenever a console comes or goes). When a second's capture budget runs
 * out, the hooks are taken off until the next refill: past the budget they
 * would cost a hook call per promise and note nothing.
 */
export class AwaitTracker {
  #on = false;
  #unhook: (() => void) | undefined;
  #unwatchEmitters: (() => void) | undefined;
  #timer: NodeJS.Timeout | undefined;

  start(wanted: () => boolean, rt?: Runtime): void {
    this.#update(wanted());
    if (rt !== undefined) rt.onWatchChange = () => guarded("await tracker", () => this.#update(wanted()), undefined);
    this.#timer = taskStorage.exit(() =>
      setInterval(() => {
        refillBudget();
        forgetRun();
        guarded("await tracker", () => this.#update(wanted()), undefined);
        if (this.#on && this.#unhook === undefined) this.#hook();
      }, 1000),
    );
    this.#timer.unref();
  }

  get armed(): boolean {
    return this.#on;
  }

  #update(on: boolean): void {
    if (on === this.#on) return;
    this.#on = on;
    if (!on) {
      this.#unhookNow();
      onBudgetExhausted(undefined);
      diagnosticsChannel.unsubscribe("undici:request:create", onFetch);
      this.#unwatchEmitters?.();
      this.#unwatchEmitters = undefined;
      debug("await tracking off");
      return;
    }
    diagnosticsChannel.subscribe("undici:request:create", onFetch);
    hooksCameOn();
    this.#unwatchEmitters = watchEmitters();
    onBudgetExhausted(() => taskStorage.exit(() => setImmediate(() => this.#unhookNow())));
    if (budgetLeft()) this.#hook();
    debug("await tracking on");
  }

  #hook(): void {
    const stopInit = promiseHooks.onInit(onInit);
    const stopBefore = promiseHooks.onBefore(onBefore);
    this.#unhook = () => {
      stopInit();
      stopBefore();
    };
  }

  #unhookNow(): void {
    this.#unhook?.();
    this.#unhook = undefined;
    forgetRun();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#update(false);
  }
}
