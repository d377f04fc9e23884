/** Durations as a console shows them: three significant digits and a unit. */

const UNITS: ReadonlyArray<readonly [bigint, string]> = [
  [3_600_000_000_000n, "h"],
  [60_000_000_000n, "m"],
  [1_000_000_000n, "s"],
  [1_000_000n, "ms"],
  [1_000n, "µs"],
];

export function formatDuration(nanos: bigint | undefined): string {
  if (nanos === undefined) return "-";
  if (nanos < 0n) return `-${formatDuration(-nanos)}`;
  for (const [size, unit] of UNITS) {
    if (nanos >= size) {
      const value = Number(nanos) / Number(size);
      const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
      return `${value.toFixed(digits)}${unit}`;
    }
  }
  return `${nanos}ns`;
}
