'use client';

import type { ConsumerGroupLagHistoryData } from '@weir/contracts';
import { useEffect, useState } from 'react';
import type uPlot from 'uplot';
import { TimeSeriesChart } from '../../_components/time-series-chart';

const POLL_INTERVAL_MS = 5000;
const SERIES = [
  { label: 'Total lag', stroke: '#0284c7' },
  { label: 'Max partition lag', stroke: '#e11d48', dash: [6, 4] },
];

/**
 * The group's total and max lag over the last minutes (the gateway samples every few
 * seconds and keeps them in memory), refreshed every 5 s while the tab is visible. The
 * latest figures are also given as text.
 */
export function LagChart({ historyUrl, groupId }: { historyUrl: string; groupId: string }) {
  const [data, setData] = useState<uPlot.AlignedData>([[], [], []]);
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
        setData([body.samples.map((s) => s.timestamp_ms / 1000), body.samples.map((s) => s.total_lag), body.samples.map((s) => s.max_lag)]);
        const last = body.samples.at(-1);
        setLatest(last === undefined ? null : { total: last.total_lag, max: last.max_lag, samples: body.samples.length });
      } catch (err) {
        if (!stopped) setError(err instanceof Error ? err.message : String(err));
      }
    }
    void load();
    const timer = setInterval(() => void load(), POLL_INTERVAL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [historyUrl]);

  const caption = error !== null
    ? `Lag history unavailable: ${error}`
    : latest === null
      ? 'Waiting for the first sample (every 5 s)…'
      : `Now: total lag ${latest.total.toLocaleString('en-US')}, largest partition lag ${latest.max.toLocaleString('en-US')} (${latest.samples} samples)`;
  return <TimeSeriesChart label={`Lag of ${groupId} over time: total lag and the largest partition lag`} series={SERIES} data={data} caption={caption} height={220} testId="lag-chart" />;
}
