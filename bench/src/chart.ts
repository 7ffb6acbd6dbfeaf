/**
 * A dependency-free SVG of horizontal bar panels: each bar a median, its whisker the min–max
 * of the rounds, an optional dashed line for a target.
 */

export interface Bar {
  label: string;
  value: number;
  min?: number;
  max?: number;
  /** Green when the bar meets its target, red when not, grey when it has none. */
  met?: boolean;
}
export interface Panel {
  title: string;
  unit: string;
  bars: Bar[];
  /** Where a dashed target line is drawn, in the panel's unit. */
  threshold?: number;
}

const W = 920;
const LABEL = 370;
const PLOT = W - LABEL - 110;
const ROW = 22;
const HEAD = 34;

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Labels longer than the label column are cut with an ellipsis. */
const short = (label: string) => (label.length > 56 ? `${label.slice(0, 55)}…` : label);

function fmt(v: number): string {
  if (v >= 100_000) return `${(v / 1000).toFixed(0)}k`;
  if (v >= 10_000) return `${(v / 1000).toFixed(1)}k`;
  if (v >= 100) return v.toFixed(0);
  if (v >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

function panel(p: Panel, top: number): { svg: string; height: number } {
  const scaleMax = Math.max(...p.bars.map((b) => b.max ?? b.value), p.threshold ?? 0) * 1.05 || 1;
  const x = (v: number) => LABEL + (v / scaleMax) * PLOT;
  const out = [
    `<text x="10" y="${top + 20}" font-weight="bold">${esc(p.title)} <tspan font-weight="normal" fill="#555">(${esc(p.unit)})</tspan></text>`,
  ];
  p.bars.forEach((b, i) => {
    const y = top + HEAD + i * ROW;
    const color = b.met === undefined ? '#7a8ca3' : b.met ? '#3a9a5b' : '#c8553d';
    out.push(
      `<text x="${LABEL - 8}" y="${y + 14}" text-anchor="end">${esc(short(b.label))}</text>`,
      `<rect x="${LABEL}" y="${y + 3}" width="${Math.max(1, x(b.value) - LABEL).toFixed(1)}" height="${ROW - 8}" fill="${color}"/>`,
    );
    if (b.min !== undefined && b.max !== undefined) {
      const cy = y + 3 + (ROW - 8) / 2;
      out.push(
        `<line x1="${x(b.min).toFixed(1)}" x2="${x(b.max).toFixed(1)}" y1="${cy}" y2="${cy}" stroke="#222"/>`,
        `<line x1="${x(b.min).toFixed(1)}" x2="${x(b.min).toFixed(1)}" y1="${cy - 4}" y2="${cy + 4}" stroke="#222"/>`,
        `<line x1="${x(b.max).toFixed(1)}" x2="${x(b.max).toFixed(1)}" y1="${cy - 4}" y2="${cy + 4}" stroke="#222"/>`,
      );
    }
    const end = Math.max(x(b.value), b.max === undefined ? 0 : x(b.max));
    out.push(`<text x="${(end + 6).toFixed(1)}" y="${y + 14}">${fmt(b.value)}</text>`);
  });
  const height = HEAD + p.bars.length * ROW + 14;
  if (p.threshold !== undefined) {
    const tx = x(p.threshold).toFixed(1);
    out.push(
      `<line x1="${tx}" x2="${tx}" y1="${top + HEAD - 4}" y2="${top + height - 10}" stroke="#000" stroke-dasharray="4 3"/>`,
    );
  }
  return { svg: out.join('\n'), height };
}

/** The whole chart: panels stacked, with a title line. */
export function renderChart(title: string, panels: Panel[]): string {
  let top = 30;
  const parts: string[] = [];
  for (const p of panels) {
    const { svg, height } = panel(p, top);
    parts.push(svg);
    top += height;
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${top + 10}" viewBox="0 0 ${W} ${top + 10}" font-family="system-ui, sans-serif" font-size="12">`,
    `<title>${esc(title)}</title>`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="10" y="20" font-size="14" font-weight="bold">${esc(title)}</text>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}
