'use client';

import type { DelayedOperationsData, TimingWheelStats } from '@weir/contracts';
import { useState } from 'react';
import { Panel, Stat } from '../../_components/panel';
import { type ChartSeries, TimeSeriesChart } from '../../_components/time-series-chart';
import { formatCount, formatRate } from '../../_lib/format';
import { useLiveChannel, useLiveStatus } from '../live/live-provider';
import { appendSample, type HistoryPoint, purgatoryNames } from './operations-history';
import { PurgatoriesTable, type PurgatoryRow } from './purgatories-table';
import { TimingWheelTable } from './timing-wheel-table';
import { Timestamp } from '../settings/timestamp';

/** One colour and one dash pattern per purgatory, so lines differ in more than colour (the legend names them). */
const STYLES: readonly Omit<ChartSeries, 'label'>[] = [
  { stroke: '#0284c7' },
  { stroke: '#e11d48', dash: [6, 4] },
  { stroke: '#16a34a', dash: [2, 3] },
  { stroke: '#a16207', dash: [10, 3, 2, 3] },
];

function chartSeries(name: string, index: number): ChartSeries {
  return { label: `${name} expirations/s`, ...(STYLES[index % STYLES.length] as Omit<ChartSeries, 'label'>) };
}

interface View {
  purgatories: PurgatoryRow[];
  wheel: TimingWheelStats;
  timerExpirationsPerSec: number | undefined;
  atMs: number | undefined;
}

/**
 * The delayed-operations page's body: first the server-rendered read, then every sample
 * of the `delayed-operations` live channel (one per second; rates computed by the
 * gateway), which also feeds the expirations chart.
 */
export function DelayedOperationsLive({ initial }: { initial: DelayedOperationsData }) {
  const status = useLiveStatus();
  const [view, setView] = useState<View>({ purgatories: initial.purgatories, wheel: initial.timing_wheel, timerExpirationsPerSec: undefined, atMs: undefined });
  const [history, setHistory] = useState<HistoryPoint[]>([]);

  useLiveChannel('delayed-operations', (frame) => {
    if (frame.type !== 'delayed-operations') return;
    setView({ purgatories: frame.purgatories, wheel: frame.timing_wheel, timerExpirationsPerSec: frame.timer_expirations_per_sec, atMs: frame.at });
    // A first view (interval 0) has no rates yet: it is not a point of the chart.
    if (frame.interval_ms > 0) setHistory((h) => appendSample(h, frame.at, frame.purgatories));
  });

  const waiting = view.purgatories.reduce((n, p) => n + p.delayed, 0);
  const names = purgatoryNames(view.purgatories);
  return (
    <div className="space-y-6">
      <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="live-status">
        {status === 'open' ? 'Live' : 'Not live (reconnecting)'}
        {view.atMs !== undefined && <>: last sample <Timestamp ms={view.atMs} /></>}
      </p>
      <dl className="grid gap-4 sm:grid-cols-3">
        <Stat label="Operations waiting" value={formatCount(waiting)} testId="operations-waiting" />
        <Stat label="Timer tasks pending" value={formatCount(view.wheel.pending)} />
        <Stat label="Timer tasks run/s" value={view.timerExpirationsPerSec === undefined ? '—' : formatRate(view.timerExpirationsPerSec)} />
      </dl>
      <Panel title="Purgatories">
        <PurgatoriesTable purgatories={view.purgatories} />
      </Panel>
      <Panel title="Expirations per second">
        <TimeSeriesChart
          key={names.join('|')}
          label={`Expirations per second of each purgatory (${names.join(', ')}) over the last minutes`}
          series={names.map(chartSeries)}
          data={[history.map((p) => p.atSec), ...names.map((name) => history.map((p) => p.expirations[name] ?? 0))]}
          caption={history.length === 0 ? 'Waiting for the first live samples…' : 'Up to the last ten minutes, one sample a second.'}
          testId="expirations-chart"
        />
      </Panel>
      <Panel title="Timing wheel">
        <TimingWheelTable wheel={view.wheel} />
      </Panel>
    </div>
  );
}
