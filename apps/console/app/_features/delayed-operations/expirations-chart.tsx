'use client';

import { useEffect, useRef } from 'react';
import type uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { HistoryPoint } from './operations-history';

/** One colour and one dash pattern per purgatory, so lines differ in more than colour (uPlot's legend names them). */
const STYLES: ReadonlyArray<{ stroke: string; dash?: number[] }> = [
  { stroke: '#0284c7' },
  { stroke: '#e11d48', dash: [6, 4] },
  { stroke: '#16a34a', dash: [2, 3] },
  { stroke: '#a16207', dash: [10, 3, 2, 3] },
];

function themeColours(): { axis: string; grid: string } {
  const dark = document.documentElement.classList.contains('dark');
  return dark ? { axis: '#cbd5e1', grid: '#1e293b' } : { axis: '#334155', grid: '#e2e8f0' };
}

/**
 * Expirations per second of each purgatory over the samples kept by the page, drawn
 * with uPlot (docs/adr/008). Fed by the live channel, so it never fetches; the plot is
 * rebuilt only when the set of purgatories changes, otherwise its data is replaced.
 */
export function ExpirationsChart({ names, history }: { names: readonly string[]; history: readonly HistoryPoint[] }) {
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const seriesKey = names.join('|');

  useEffect(() => {
    let cancelled = false;
    const element = container.current;
    if (element === null || names.length === 0) return undefined;
    void import('uplot').then(({ default: UPlot }) => {
      if (cancelled) return;
      const { axis, grid } = themeColours();
      plot.current = new UPlot({
        width: Math.max(320, element.clientWidth),
        height: 200,
        series: [{}, ...names.map((name, i) => ({ label: `${name} expirations/s`, width: 2, ...STYLES[i % STYLES.length] }))],
        axes: [{ stroke: axis, grid: { stroke: grid } }, { stroke: axis, grid: { stroke: grid } }],
        scales: { y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
      }, [[]], element);
    });
    return () => {
      cancelled = true;
      plot.current?.destroy();
      plot.current = null;
    };
    // Keyed by seriesKey, not names: a new array holding the same names keeps the plot.
  }, [seriesKey]);

  useEffect(() => {
    plot.current?.setData([history.map((p) => p.atSec), ...names.map((name) => history.map((p) => p.expirations[name] ?? 0))]);
  });

  return (
    <div
      ref={container}
      role="img"
      aria-label={`Expirations per second over the last ${history.length} samples, one line per purgatory: ${names.join(', ')}`}
      data-testid="expirations-chart"
    />
  );
}
