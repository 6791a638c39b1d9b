'use client';

import { useState } from 'react';
import { Stat } from '../../_components/panel';
import { formatCount } from '../../_lib/format';
import { useLiveChannel } from '../live/live-provider';

export interface HealthFigures {
  readonly brokers_online: number;
  readonly brokers_offline: number;
  readonly controller_id: number | null;
  readonly topics_count: number;
  readonly partitions_count: number;
  readonly under_replicated_partitions: number;
  readonly under_min_isr_partitions: number;
  readonly offline_partitions: number;
}

const tone = (n: number) => (n > 0 ? 'bad' : 'good');

/**
 * The counts an operator checks first, as the server rendered them and then as each
 * `cluster` frame reports them (sent with the next sample after a broker or ISR change),
 * so a failure shows within a second without re-rendering the page.
 */
export function HealthStats({ initial }: { initial: HealthFigures }) {
  const [figures, setFigures] = useState(initial);
  useLiveChannel('cluster', (frame) => {
    if (frame.type !== 'cluster' || frame.cluster.health === null) return;
    const { cluster } = frame;
    setFigures({ ...cluster.health!, controller_id: cluster.controller_id < 0 ? null : cluster.controller_id, topics_count: cluster.topics_count, partitions_count: cluster.partitions_count });
  });
  const f = figures;
  return (
    <dl className="grid grid-cols-2 gap-4 md:grid-cols-4">
      <Stat label="Brokers online" value={`${formatCount(f.brokers_online)} of ${formatCount(f.brokers_online + f.brokers_offline)}`} tone={f.brokers_offline > 0 ? 'bad' : 'good'} testId="brokers-online" />
      <Stat label="Controller" value={f.controller_id === null ? 'none' : `broker ${f.controller_id}`} tone={f.controller_id === null ? 'bad' : 'plain'} testId="controller" />
      <Stat label="Topics" value={formatCount(f.topics_count)} testId="topics-count" />
      <Stat label="Partitions" value={formatCount(f.partitions_count)} testId="partitions-count" />
      <Stat label="Under-replicated" value={formatCount(f.under_replicated_partitions)} tone={tone(f.under_replicated_partitions)} testId="under-replicated-count" />
      <Stat label="Under min ISR" value={formatCount(f.under_min_isr_partitions)} tone={tone(f.under_min_isr_partitions)} testId="under-min-isr-count" />
      <Stat label="Offline partitions" value={formatCount(f.offline_partitions)} tone={tone(f.offline_partitions)} testId="offline-count" />
      <Stat label="Brokers offline" value={formatCount(f.brokers_offline)} tone={tone(f.brokers_offline)} testId="brokers-offline" />
    </dl>
  );
}
