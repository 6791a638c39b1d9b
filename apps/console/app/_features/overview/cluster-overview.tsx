import { getCluster, getClusterHealth } from '../../_lib/gateway/clusters';
import { listTopicSummaries } from '../../_lib/gateway/topics';
import { ElectLeadersButton } from '../elections/elect-leaders-button';
import { HealthStats } from './health-stats';

/** Cluster id, brokers and the controller, topics, and the partition counts an operator checks first (kept live). */
export async function ClusterOverview() {
  // The summaries' total counts topics without sending them all (there may be 10,000).
  const [cluster, health, topics] = await Promise.all([getCluster(), getClusterHealth(), listTopicSummaries({ limit: 1 })]);
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Cluster <span className="font-mono text-slate-900 dark:text-slate-100" data-testid="cluster-id">{cluster.cluster_id}</span>
      </p>
      <HealthStats
        initial={{
          brokers_online: health.brokers_online,
          brokers_offline: health.brokers_offline,
          controller_id: health.controller_id,
          topics_count: topics.metadata.total,
          partitions_count: health.partitions_count,
          under_replicated_partitions: health.under_replicated_partitions,
          under_min_isr_partitions: health.under_min_isr_partitions,
          offline_partitions: health.offline_partitions,
        }}
      />
      <ElectLeadersButton />
    </div>
  );
}
