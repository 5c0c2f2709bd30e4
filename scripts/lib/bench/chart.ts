import type { Mode, Point } from './report';

/**
 * A hand-written SVG: one row per scenario, requests/s (left) and p99 (right) against
 * concurrency on a log axis, one line per mode. No dependency, readable in a browser or on GitHub.
 */
const SERIES: Array<{ mode: Mode; label: string; color: string; dash?: string }> = [
  { mode: 'instance', label: 'function alone (Knative instance)', color: '#1f77b4' },
  { mode: 'one-process', label: 'all in one process (c=10)', color: '#d62728' },
  { mode: 'node-floor', label: 'Node floor (node:http + same SQL)', color: '#7f7f7f', dash: '6 4' },
  { mode: 'db-floor', label: 'DB floor (same SQL, no HTTP)', color: '#2ca02c', dash: '2 3' },
  { mode: 'flask-peer', label: 'Flask peer (c=10)', color: '#9467bd' },
];

const W = 960;
const PANEL_W = 400;
const PANEL_H = 170;
const ROW_H = 240;
const LEFT = 70;
const TOP = 90;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function niceMax(x: number): number {
  if (x <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((v) => v >= x)!;
}

function panel(
  x0: number,
  y0: number,
  title: string,
  unit: string,
  concurrencies: number[],
  series: Array<{ color: string; dash?: string; points: Array<{ c: number; v: number }> }>,
): string {
  const max = niceMax(Math.max(1e-9, ...series.flatMap((s) => s.points.map((p) => p.v))));
  const lo = Math.log(Math.min(...concurrencies));
  const hi = Math.log(Math.max(...concurrencies));
  const x = (c: number) => x0 + (hi === lo ? PANEL_W / 2 : ((Math.log(c) - lo) / (hi - lo)) * PANEL_W);
  const y = (v: number) => y0 + PANEL_H - (v / max) * PANEL_H;
  const out: string[] = [];
  out.push(`<text x="${x0}" y="${y0 - 10}" class="t">${esc(title)}</text>`);
  // Five steps when that gives round labels (250 -> 50s), else four (5000 -> 1250s).
  const steps = Number.isInteger(max / 5) && /^(1|2|5)0*$/.test(String(max / 5)) ? 5 : 4;
  for (let i = 0; i <= steps; i++) {
    const v = (max * i) / steps;
    out.push(`<line x1="${x0}" x2="${x0 + PANEL_W}" y1="${y(v)}" y2="${y(v)}" class="g"/>`);
    out.push(`<text x="${x0 - 6}" y="${y(v) + 4}" class="a" text-anchor="end">${v >= 100 ? Math.round(v) : +v.toFixed(1)}</text>`);
  }
  for (const c of concurrencies) {
    out.push(`<line x1="${x(c)}" x2="${x(c)}" y1="${y0 + PANEL_H}" y2="${y0 + PANEL_H + 4}" class="k"/>`);
    out.push(`<text x="${x(c)}" y="${y0 + PANEL_H + 16}" class="a" text-anchor="middle">${c}</text>`);
  }
  out.push(`<text x="${x0 + PANEL_W / 2}" y="${y0 + PANEL_H + 32}" class="a" text-anchor="middle">connections (${esc(unit)})</text>`);
  out.push(`<rect x="${x0}" y="${y0}" width="${PANEL_W}" height="${PANEL_H}" class="f"/>`);
  for (const s of series) {
    const pts = [...s.points].sort((a, b) => a.c - b.c);
    if (pts.length > 1) {
      const d = pts.map((p) => `${x(p.c).toFixed(1)},${y(p.v).toFixed(1)}`).join(' ');
      out.push(`<polyline points="${d}" fill="none" stroke="${s.color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`);
    }
    for (const p of pts) out.push(`<circle cx="${x(p.c).toFixed(1)}" cy="${y(p.v).toFixed(1)}" r="3" fill="${s.color}"/>`);
  }
  return out.join('\n');
}

export function chartSvg(points: readonly Point[], scenarios: readonly string[], subtitle: string): string {
  const shown = scenarios.filter((s) => points.some((p) => p.scenario === s && (p.mode === 'instance' || p.mode === 'one-process')));
  const concurrencies = [...new Set(points.map((p) => p.connections))].sort((a, b) => a - b);
  const height = TOP + shown.length * ROW_H + 10;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}" font-family="system-ui, sans-serif">`);
  out.push('<style>.t{font-size:13px;font-weight:600}.a{font-size:11px;fill:#444}.g{stroke:#e5e5e5}.k{stroke:#888}.f{fill:none;stroke:#bbb}.h{font-size:16px;font-weight:700}.s{font-size:11px;fill:#555}</style>');
  out.push(`<rect width="${W}" height="${height}" fill="#fff"/>`);
  out.push(`<text x="${LEFT - 50}" y="24" class="h">Booking API: requests/s and p99 latency against concurrency</text>`);
  out.push(`<text x="${LEFT - 50}" y="42" class="s">${esc(subtitle)}</text>`);
  let lx = LEFT - 50;
  let ly = 62;
  SERIES.forEach((s) => {
    const width = 30 + s.label.length * 5.6 + 24;
    if (lx + width > W) [lx, ly] = [LEFT - 50, ly + 18];
    out.push(`<line x1="${lx}" x2="${lx + 24}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`);
    out.push(`<text x="${lx + 30}" y="${ly + 4}" class="a">${esc(s.label)}</text>`);
    lx += width;
  });
  shown.forEach((scenario, row) => {
    const y0 = TOP + row * ROW_H + 20;
    const series = (value: (p: Point) => number) =>
      SERIES.map((s) => ({
        color: s.color,
        dash: s.dash,
        points: points.filter((p) => p.scenario === scenario && p.mode === s.mode).map((p) => ({ c: p.connections, v: value(p) })),
      }));
    out.push(panel(LEFT, y0, `${scenario}: requests/s`, 'log scale', concurrencies, series((p) => p.rps)));
    out.push(panel(LEFT + PANEL_W + 80, y0, `${scenario}: p99 latency, ms`, 'log scale', concurrencies, series((p) => p.p99)));
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
