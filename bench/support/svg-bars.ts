/** A small horizontal bar chart in SVG, written from the numbers (no dependency). */

export interface BarRow {
  readonly label: string;
  readonly value: number;
  /** Printed at the end of the bar (defaults to the value). */
  readonly text?: string;
  readonly color: string;
}

export interface BarPanel {
  readonly title: string;
  readonly rows: readonly BarRow[];
}

const WIDTH = 760;
const LABEL_WIDTH = 250;
const BAR_SPACE = WIDTH - LABEL_WIDTH - 110;
const ROW_HEIGHT = 20;
const TITLE_HEIGHT = 28;
const GAP = 16;

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Panels stacked top to bottom; each scales its bars to its own largest value. Non-finite values draw no bar and print "n/a". */
export function barChartSvg(title: string, panels: readonly BarPanel[]): string {
  const parts: string[] = [];
  let y = 30;
  parts.push(`<text x="10" y="20" font-size="15" font-weight="bold">${escape(title)}</text>`);
  for (const panel of panels) {
    y += GAP;
    parts.push(`<text x="10" y="${y + 14}" font-size="13" font-weight="bold">${escape(panel.title)}</text>`);
    y += TITLE_HEIGHT;
    const max = Math.max(0, ...panel.rows.map((r) => (Number.isFinite(r.value) ? r.value : 0)));
    for (const row of panel.rows) {
      const ok = Number.isFinite(row.value);
      const width = ok && max > 0 ? Math.max(1, (row.value / max) * BAR_SPACE) : 0;
      parts.push(`<text x="${LABEL_WIDTH - 6}" y="${y + 14}" font-size="12" text-anchor="end">${escape(row.label)}</text>`);
      parts.push(`<rect x="${LABEL_WIDTH}" y="${y + 3}" width="${width.toFixed(1)}" height="${ROW_HEIGHT - 6}" fill="${row.color}"/>`);
      parts.push(`<text x="${(LABEL_WIDTH + width + 5).toFixed(1)}" y="${y + 14}" font-size="12">${escape(ok ? (row.text ?? String(row.value)) : 'n/a')}</text>`);
      y += ROW_HEIGHT;
    }
  }
  const height = y + GAP;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif">\n<rect width="100%" height="100%" fill="white"/>\n${parts.join('\n')}\n</svg>\n`;
}
