/**
 * What lock guards and permits share: the first `release()` gives the
 * resource back, later calls do nothing (so a `finally` and a `using` can both
 * release), and `using` releases at the end of the scope.
 */
export abstract class ReleaseOnce {
  readonly #release: () => void;
  #released = false;

  protected constructor(release: () => void) {
    this.#release = release;
  }

  protected get released(): boolean {
    return this.#released;
  }

  /** Gives the resource back. Idempotent. */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    this.#release();
  }

  [Symbol.dispose](): void {
    this.release();
  }
}
