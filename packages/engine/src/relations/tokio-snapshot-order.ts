/**
 * Parent links that arrive before their parent. console-subscriber builds a
 * watcher's first update from hash maps, so a child (tokio's internal batch
 * semaphore under a Mutex, or the `Acquire::new` op under `Mutex::lock`) is
 * often listed before the parent it names. Without a second look those
 * links are lost for everything that existed before the console attached,
 * and a held lock can no longer be traced to its holder.
 *
 * Each unresolved link waits here, keyed by the parent's span, and is made
 * when that parent is created (in the same update or a later one).
 */
import type { DisplayId } from "../model.js";
import type { SpanKey } from "../private/span-key.js";

interface Child {
  parent: DisplayId | undefined;
}

const MAX_WAITING = 10_000;

export class LateParents<T extends Child> {
  readonly #waiting = new Map<SpanKey, T[]>();

  /** Remembers that `child` names the not-yet-seen parent `parentKey`. */
  wait(child: T, parentKey: SpanKey): void {
    // A parent lost to a full event buffer never arrives: past this many
    // pending links, start afresh rather than keep dead children alive.
    if (this.#waiting.size >= MAX_WAITING) this.#waiting.clear();
    const list = this.#waiting.get(parentKey);
    if (list) {
      if (!list.includes(child)) list.push(child);
    } else this.#waiting.set(parentKey, [child]);
  }

  /** Links every child that waited for `key`, now created as `parent`; returns them. */
  arrived(key: SpanKey, parent: DisplayId): readonly T[] {
    const list = this.#waiting.get(key);
    if (!list) return [];
    this.#waiting.delete(key);
    for (const child of list) if (child.parent === undefined) child.parent = parent;
    return list;
  }
}

/** One registry per store (keyed by its host object), so stores never share links. */
export function lateParentsOf<T extends Child>(registry: WeakMap<object, LateParents<T>>, host: object): LateParents<T> {
  let late = registry.get(host);
  if (!late) registry.set(host, (late = new LateParents<T>()));
  return late;
}
