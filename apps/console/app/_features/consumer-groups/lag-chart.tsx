'use client';

import type { ConsumerGroupLagHistoryData } from '@weir/contracts';
import { useEffect, useRef, useState } from 'react';
import type uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

const POLL_INTERVAL_MS = 5000;

function isDark(): boolean {
  return document.documentElement.classList.contains('dark');
}

/**
 * The group's total and max lag over the last minutes (the gateway samples every few
 * seconds and keeps them in memory), drawn with uPlot (docs/adr/008) and refreshed every
 * 5 s while the tab is visible. The latest figures are also given as text.
 */
export function LagChart({ historyUrl, groupId }: { historyUrl: string; groupId: string }) {
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const [latest, setLatest] = useState<{ total: number; max: number; samples: number } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let stopped = false;
    async function load(): Promise<void> {
      if (document.visibilityState !== 'visible') return;
      try {
        const res = await fetch(historyUrl, { cache: 'no-store', headers: { accept: 'application/json' } });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        const body = (await res.json()) as ConsumerGroupLagHistoryData;
        if (stopped) return;
        setError(null);
        const xs = body.samples.map((s) => s.timestamp_ms / 1000);
        const data: uPlot.AlignedData = [xs, body.samples.map((s) => s.total_lag), body.samples.map((s) => s.max_lag)];
        const last = body.samples.at(-1);
        setLatest(last === undefined ? null : { total: last.total_lag, max: last.max_lag, samples: body.samples.length });
        if (plot.current !== null) {
          plot.current.setData(data);
          return;
        }
        if (container.current === null) return;
        const { default: UPlot } = await import('uplot');
        if (stopped) return;
        const axis = isDark() ? '#cbd5e1' : '#334155';
        const grid = isDark() ? '#1e293b' : '#e2e8f0';
        plot.current = new UPlot({
          width: Math.max(320, container.current.clientWidth),
          height: 220,
          series: [
            {},
            { label: 'Total lag', stroke: '#0284c7', width: 2 },
            { label: 'Max partition lag', stroke: '#e11d48', width: 1.5, dash: [6, 4] },
          ],
          axes: [{ stroke: axis, grid: { stroke: grid } }, { stroke: axis, grid: { stroke: grid } }],
        }, data, container.current);
      } catch (err) {
        if (!stopped) setError(err instanceof Error ? err.message : String(err));
      }
    }
    void load();
    const timer = setInterval(() => void load(), POLL_INTERVAL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
      plot.current?.destroy();
      plot.current = null;
    };
  }, [historyUrl]);

  return (
    <figure aria-labelledby="lag-chart-caption" className="space-y-2">
      <div ref={container} role="img" aria-label={`Lag of ${groupId} over time: total lag and the largest partition lag`} data-testid="lag-chart" />
      <figcaption id="lag-chart-caption" className="text-sm text-slate-600 dark:text-slate-400" aria-live="polite">
        {error !== null ? `Lag history unavailable: ${error}` : latest === null ? 'Waiting for the first sample (every 5 s)…' : `Now: total lag ${latest.total.toLocaleString('en-US')}, largest partition lag ${latest.max.toLocaleString('en-US')} (${latest.samples} samples)`}
      </figcaption>
    </figure>
  );
}
