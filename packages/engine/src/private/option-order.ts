/**
 * Comparisons with Rust's `Option` ordering (None < Some), which is what
 * tokio-console's task-state rules rely on.
 */
export function optGreater(a: bigint | undefined, b: bigint | undefined): boolean {
  if (a === undefined) return false;
  if (b === undefined) return true;
  return a > b;
}

export function satSub(a: bigint, b: bigint): bigint {
  return a > b ? a - b : 0n;
}

export function maxOpt(a: bigint | undefined, b: bigint | undefined): bigint | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a > b ? a : b;
}
