/** A one-row chart of recent busy fractions, eight levels per cell. */
const BARS = "▁▂▃▄▅▆▇█";

export function sparkline(values: readonly number[], width: number): string {
  if (width <= 0) return "";
  const shown = values.slice(-width);
  let out = "";
  for (const v of shown) {
    const level = Math.max(0, Math.min(BARS.length - 1, Math.round(v * (BARS.length - 1))));
    out += BARS[level];
  }
  return out.padStart(width, " ");
}
