import { Stat } from '../../_components/panel';
import { getCluster, getClusterHealth } from '../../_lib/gateway/clusters';
import { listTopics } from '../../_lib/gateway/topics';
import { formatCount } from '../../_lib/format';
import { ElectLeadersButton } from '../elections/elect-leaders-button';

const tone = (n: number) => (n > 0 ? 'bad' : 'good');

/** Cluster id, brokers and the controller, topics, and the partition counts an operator checks first. */
export async function ClusterOverview() {
  const [cluster, health, topics] = await Promise.all([getCluster(), getClusterHealth(), listTopics()]);
  const brokers = health.brokers_online + health.brokers_offline;
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Cluster <span className="font-mono text-slate-900 dark:text-slate-100" data-testid="cluster-id">{cluster.cluster_id}</span>
      </p>
      <dl className="grid grid-cols-2 gap-4 md:grid-cols-4">
        <Stat label="Brokers online" value={`${formatCount(health.brokers_online)} of ${formatCount(brokers)}`} tone={health.brokers_offline > 0 ? 'bad' : 'good'} testId="brokers-online" />
        <Stat label="Controller" value={health.controller_id === null ? 'none' : `broker ${health.controller_id}`} tone={health.controller_id === null ? 'bad' : 'plain'} testId="controller" />
        <Stat label="Topics" value={formatCount(topics.length)} testId="topics-count" />
        <Stat label="Partitions" value={formatCount(health.partitions_count)} testId="partitions-count" />
        <Stat label="Under-replicated" value={formatCount(health.under_replicated_partitions)} tone={tone(health.under_replicated_partitions)} testId="under-replicated-count" />
        <Stat label="Under min ISR" value={formatCount(health.under_min_isr_partitions)} tone={tone(health.under_min_isr_partitions)} testId="under-min-isr-count" />
        <Stat label="Offline partitions" value={formatCount(health.offline_partitions)} tone={tone(health.offline_partitions)} testId="offline-count" />
        <Stat label="Brokers offline" value={formatCount(health.brokers_offline)} tone={tone(health.brokers_offline)} testId="brokers-offline" />
      </dl>
      <ElectLeadersButton />
    </div>
  );
}
