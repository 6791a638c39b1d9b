'use client';

import type { ClusterHistorySample, LiveServerFrame } from '@weir/contracts';
import { useMemo, useRef, useState } from 'react';
import type uPlot from 'uplot';
import { Panel } from '../../_components/panel';
import { TimeSeriesChart } from '../../_components/time-series-chart';
import { formatBytes, formatCount, formatRate } from '../../_lib/format';
import { useLiveChannel } from '../live/live-provider';

/** The window the charts show: the gateway's history (ten minutes), then each live sample. */
const WINDOW_MS = 10 * 60 * 1000;

type Health = Pick<ClusterHistorySample, 'brokers_online' | 'under_replicated_partitions' | 'under_min_isr_partitions' | 'offline_partitions'>;

const THROUGHPUT_SERIES = [
  { label: 'Records in/s', stroke: '#0284c7' },
  { label: 'Records out/s', stroke: '#059669', dash: [6, 4] },
];
const HEALTH_SERIES = [
  { label: 'Under-replicated', stroke: '#d97706' },
  { label: 'Under min ISR', stroke: '#e11d48', dash: [6, 4] },
  { label: 'Offline', stroke: '#7c3aed', dash: [2, 3] },
];

/** History frames replace what is older than their last sample; live samples after it stay. */
function merge(points: readonly ClusterHistorySample[], frame: LiveServerFrame, health: Health | null): ClusterHistorySample[] {
  let next: ClusterHistorySample[];
  if (frame.type === 'cluster-history') {
    const last = frame.samples.at(-1)?.at ?? 0;
    next = [...frame.samples, ...points.filter((p) => p.at > last)];
  } else if (frame.type === 'throughput' && health !== null) {
    next = [...points, { at: frame.at, ...health, ...frame.total }];
  } else {
    return [...points];
  }
  const from = (next.at(-1)?.at ?? 0) - WINDOW_MS;
  return next.filter((p) => p.at >= from);
}

/**
 * The overview's throughput and partition-health trends: the gateway's last ten minutes
 * (sent when the page subscribes to `cluster`), extended by every live sample (each
 * second). The health counts come with `cluster` frames: on subscribe, then when they change.
 */
export function ClusterTrends() {
  const [points, setPoints] = useState<ClusterHistorySample[]>([]);
  const health = useRef<Health | null>(null);

  useLiveChannel('cluster', (frame) => {
    if (frame.type === 'cluster' && frame.cluster.health !== null) {
      const h = frame.cluster.health;
      health.current = { brokers_online: h.brokers_online, under_replicated_partitions: h.under_replicated_partitions, under_min_isr_partitions: h.under_min_isr_partitions, offline_partitions: h.offline_partitions };
      return;
    }
    if (frame.type === 'cluster-history' || frame.type === 'throughput') setPoints((current) => merge(current, frame, health.current));
  });

  const throughput = useMemo<uPlot.AlignedData>(
    () => [points.map((p) => p.at / 1000), points.map((p) => p.records_in_per_sec), points.map((p) => p.records_out_per_sec)],
    [points],
  );
  const partitions = useMemo<uPlot.AlignedData>(
    () => [points.map((p) => p.at / 1000), points.map((p) => p.under_replicated_partitions), points.map((p) => p.under_min_isr_partitions), points.map((p) => p.offline_partitions)],
    [points],
  );
  const last = points.at(-1);

  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <Panel title="Throughput">
        <TimeSeriesChart
          label="Records produced and consumed per second over the last ten minutes"
          series={THROUGHPUT_SERIES}
          data={throughput}
          testId="throughput-chart"
          caption={last === undefined ? 'Waiting for the first sample…' : (
            <>
              Now: <span data-testid="throughput-in" data-value={last.records_in_per_sec}>{formatRate(last.records_in_per_sec)}</span> records/s in
              ({formatBytes(Math.round(last.bytes_in_per_sec))}/s),{' '}
              <span data-testid="throughput-out" data-value={last.records_out_per_sec}>{formatRate(last.records_out_per_sec)}</span> records/s out
              ({formatBytes(Math.round(last.bytes_out_per_sec))}/s)
            </>
          )}
        />
      </Panel>
      <Panel title="Partition health">
        <TimeSeriesChart
          label="Under-replicated, under-min-ISR and offline partitions over the last ten minutes"
          series={HEALTH_SERIES}
          data={partitions}
          testId="health-chart"
          caption={last === undefined ? 'Waiting for the first sample…' : (
            <>
              Now: {formatCount(last.under_replicated_partitions)} under-replicated, {formatCount(last.under_min_isr_partitions)} under min ISR,{' '}
              {formatCount(last.offline_partitions)} offline ({points.length} samples)
            </>
          )}
        />
      </Panel>
    </div>
  );
}
