/**
 * What lock guards and permits share: the first `release()` gives the
 * resource back, later calls do nothing (so a `finally` and a `using` can both
 * release), and `using` releases at the end of the scope.
 *
 * With insight on, one held past a publish interval is watched weakly: a
 * guard or permit that is garbage-collected without having been released can
 * never be released, so its lock or permits are held forever
 * (`insight.leaked`, docs/model.md). Most are released within microseconds
 * and never pay for a finalizer (young-records.ts).
 */
import type { LiveResource } from "./records.js";
import { runtime } from "./runtime.js";

/** What the watch keeps: never the guard, never the primitive (both must stay collectable). */
interface Grant {
  readonly resource: LiveResource;
  readonly count: number;
  released: boolean;
}

const leaks = new FinalizationRegistry<Grant>((grant) => {
  if (grant.released) return;
  try {
    if (runtime !== undefined) runtime.leak(grant.resource, grant.count);
    else grant.resource.leaked += grant.count;
  } catch {
    // A finalizer that throws would reach the host; insight never does.
  }
});

export abstract class ReleaseOnce {
  readonly #release: () => void;
  #released = false;
  readonly #resource: LiveResource | undefined;
  readonly #count: number;
  #grant: Grant | undefined;

  /** `resource` (instrumented primitives only) gets `count` leaked if this is collected unreleased. */
  protected constructor(release: () => void, resource?: LiveResource, count = 1) {
    this.#release = release;
    this.#count = count;
    const rt = runtime;
    if (resource !== undefined && rt !== undefined) {
      this.#resource = resource;
      rt.young.guards.add(this);
    }
  }

  protected get released(): boolean {
    return this.#released;
  }

  /** Gives the resource back. Idempotent. */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    if (this.#grant !== undefined) this.#grant.released = true;
    else if (this.#resource !== undefined) runtime?.young.guards.delete(this);
    this.#release();
  }

  [Symbol.dispose](): void {
    this.release();
  }

  /** @internal Still held after a publish interval: watch for it being collected unreleased. */
  watch(): void {
    if (this.#released || this.#grant !== undefined || this.#resource === undefined) return;
    this.#grant = { resource: this.#resource, count: this.#count, released: false };
    leaks.register(this, this.#grant);
  }
}
