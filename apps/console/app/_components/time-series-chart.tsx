'use client';

import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import type uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  readonly label: string;
  /** A line colour legible on both themes' panels (the -600 shades). */
  readonly stroke: string;
  readonly dash?: number[];
}

const isDark = () => document.documentElement.classList.contains('dark');

/** Watches the theme class, so axes and grid are redrawn in the other theme's colours. */
function useDarkTheme(): boolean | null {
  const [dark, setDark] = useState<boolean | null>(null);
  useEffect(() => {
    setDark(isDark());
    const observer = new MutationObserver(() => setDark(isDark()));
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['class'] });
    return () => observer.disconnect();
  }, []);
  return dark;
}

/**
 * A line chart over time with uPlot (docs/adr/008): `data` is uPlot's aligned columns, x in
 * Unix seconds. Charts are pictures to a screen reader: the plot is role="img" with
 * `label`, and the caption (announced politely) carries the latest figures as text.
 */
export function TimeSeriesChart({ label, series, data, caption, height = 200, testId }: {
  label: string;
  series: readonly ChartSeries[];
  data: uPlot.AlignedData;
  caption: ReactNode;
  height?: number;
  testId?: string;
}) {
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const latestData = useRef(data);
  const captionId = useId();
  const dark = useDarkTheme();
  latestData.current = data;

  // One plot per theme (axes colours are fixed at creation); series are fixed for a chart's life.
  useEffect(() => {
    if (dark === null || container.current === null) return undefined;
    let disposed = false;
    let resize: ResizeObserver | undefined;
    void import('uplot').then(({ default: UPlot }) => {
      if (disposed || container.current === null) return;
      const axis = dark ? '#cbd5e1' : '#334155';
      const grid = dark ? '#1e293b' : '#e2e8f0';
      const element = container.current;
      plot.current = new UPlot(
        {
          width: Math.max(280, element.clientWidth),
          height,
          series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.stroke, width: 2, ...(s.dash === undefined ? {} : { dash: s.dash }) }))],
          axes: [{ stroke: axis, grid: { stroke: grid } }, { stroke: axis, grid: { stroke: grid } }],
        },
        latestData.current,
        element,
      );
      resize = new ResizeObserver(() => plot.current?.setSize({ width: Math.max(280, element.clientWidth), height }));
      resize.observe(element);
    });
    return () => {
      disposed = true;
      resize?.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, [dark]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  return (
    <figure aria-labelledby={captionId} className="space-y-2">
      <div ref={container} role="img" aria-label={label} data-testid={testId} />
      <figcaption id={captionId} className="text-sm text-slate-600 dark:text-slate-400" aria-live="polite">
        {caption}
      </figcaption>
    </figure>
  );
}
