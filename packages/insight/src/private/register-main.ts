/**
 * What `async-insight/register` (register.ts, register.cts) adds to init():
 * it runs before the app's main module has even loaded, so the main task
 * must still reach that module once Node's loader evaluates it, and the
 * loader's own promises in between are not the app's awaits.
 */
import { awaitEntryModule } from "./await-loading.js";
import { runtime } from "./runtime.js";
import { mainByDefault, TaskContext, taskStorage } from "./task-context.js";

/** Called right after init() by the register entry points. */
export function mainModuleFollows(): void {
  const main = runtime?.mainTask;
  const current = taskStorage.getStore();
  // init() entered the main task here (it does unless some other task was current).
  if (main === undefined || !(current instanceof TaskContext) || current.record !== main) return;
  mainByDefault(current);
  awaitEntryModule(main);
}
