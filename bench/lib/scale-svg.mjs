// The scale-curve plot as a standalone SVG, drawn by hand: two panels (CPU
// and RSS) against tasks a minute on a log-scale x axis, one line per
// series. No plotting dependency.
const SERIES = [
  { key: "plain", label: "host, no insight", color: "#888888", dash: "4 3" },
  { key: "insight", label: "host, insight, no console", color: "#1f77b4" },
  { key: "watched", label: "host, insight + console attached", color: "#ff7f0e" },
  { key: "console", label: "consolation (the console)", color: "#2ca02c" },
];

const PANEL = { width: 420, height: 300, left: 56, right: 12, top: 34, bottom: 44 };

/** A round axis maximum and tick step at or above `max`. */
function niceScale(max) {
  const raw = Math.max(max, 1e-9) / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw);
  return { step, max: Math.ceil(max / step) * step };
}

const escapeXml = (text) => String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const rateLabel = (n) => (n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : String(n));

function panel(run, metric, title, unit, offsetX) {
  const rows = run.rows;
  const xs = rows.map((r) => r.perMinute);
  const lo = Math.log10(Math.min(...xs));
  const hi = Math.log10(Math.max(...xs));
  const span = hi - lo || 1;
  const plotW = PANEL.width - PANEL.left - PANEL.right;
  const plotH = PANEL.height - PANEL.top - PANEL.bottom;
  const x = (v) => offsetX + PANEL.left + ((Math.log10(v) - lo) / span) * plotW;
  const values = SERIES.flatMap((s) => rows.map((r) => r[s.key]?.[metric]).filter((v) => v !== undefined));
  const scale = niceScale(Math.max(...values));
  const y = (v) => PANEL.top + plotH - (v / scale.max) * plotH;
  const out = [];
  out.push(`<text x="${offsetX + PANEL.width / 2}" y="18" text-anchor="middle" font-weight="bold">${escapeXml(title)}</text>`);
  // Grid and y ticks.
  for (let v = 0; v <= scale.max + scale.step / 2; v += scale.step) {
    const yy = y(v).toFixed(1);
    out.push(`<line x1="${offsetX + PANEL.left}" y1="${yy}" x2="${offsetX + PANEL.width - PANEL.right}" y2="${yy}" stroke="#e4e4e4"/>`);
    out.push(`<text x="${offsetX + PANEL.left - 6}" y="${yy}" text-anchor="end" dominant-baseline="middle">${+v.toFixed(2)}</text>`);
  }
  // x ticks: every decade between the first and last rate.
  for (let d = Math.ceil(lo); d <= Math.floor(hi); d++) {
    const xx = x(10 ** d).toFixed(1);
    out.push(`<line x1="${xx}" y1="${PANEL.top}" x2="${xx}" y2="${PANEL.top + plotH}" stroke="#e4e4e4"/>`);
    out.push(`<text x="${xx}" y="${PANEL.top + plotH + 16}" text-anchor="middle">${rateLabel(10 ** d)}</text>`);
  }
  // Axes.
  out.push(`<line x1="${offsetX + PANEL.left}" y1="${PANEL.top}" x2="${offsetX + PANEL.left}" y2="${PANEL.top + plotH}" stroke="#333"/>`);
  out.push(
    `<line x1="${offsetX + PANEL.left}" y1="${PANEL.top + plotH}" x2="${offsetX + PANEL.width - PANEL.right}" y2="${PANEL.top + plotH}" stroke="#333"/>`,
  );
  out.push(`<text x="${offsetX + PANEL.left + plotW / 2}" y="${PANEL.height - 8}" text-anchor="middle">short-lived tasks a minute (log scale)</text>`);
  out.push(`<text transform="translate(${offsetX + 14} ${PANEL.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(unit)}</text>`);
  // One line and its points per series.
  for (const s of SERIES) {
    const points = rows.filter((r) => r[s.key]?.[metric] !== undefined).map((r) => [x(r.perMinute), y(r[s.key][metric])]);
    if (points.length === 0) continue;
    const d = points.map(([px, py], i) => `${i === 0 ? "M" : "L"}${px.toFixed(1)},${py.toFixed(1)}`).join(" ");
    out.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ""}/>`);
    for (const [px, py] of points) out.push(`<circle cx="${px.toFixed(1)}" cy="${py.toFixed(1)}" r="3" fill="${s.color}"/>`);
  }
  return out;
}

/** The whole SVG document for a scale-curve run ({ node, date, rows }). */
export function renderScaleSvg(run) {
  const width = PANEL.width * 2;
  const legendY = PANEL.height + 8;
  const height = legendY + 22 * 2 + 24;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    ...panel(run, "cpu", "CPU", "% of one core", 0),
    ...panel(run, "rss", "Resident memory", "MB", PANEL.width),
  ];
  SERIES.forEach((s, i) => {
    const lx = 60 + (i % 2) * 400;
    const ly = legendY + Math.floor(i / 2) * 22;
    parts.push(`<line x1="${lx}" y1="${ly}" x2="${lx + 28}" y2="${ly}" stroke="${s.color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ""}/>`);
    parts.push(`<text x="${lx + 36}" y="${ly}" dominant-baseline="middle">${escapeXml(s.label)}</text>`);
  });
  parts.push(
    `<text x="${width / 2}" y="${height - 8}" text-anchor="middle" fill="#555">node ${escapeXml(run.node)}, ${escapeXml(run.date)} UTC; node bench/scale-curve.mjs</text>`,
  );
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}
