import { Stat } from '../../_components/panel';
import { getCluster, listBrokerReplicas, listBrokers } from '../../_lib/gateway/clusters';
import { listTopics } from '../../_lib/gateway/topics';
import { formatCount } from '../../_lib/format';
import { partitionHealth } from './partition-health';

/** Cluster id, brokers, topics, partitions and the two numbers an operator checks first. */
export async function ClusterOverview() {
  const [cluster, brokers, topics] = await Promise.all([getCluster(), listBrokers(), listTopics()]);
  const replicas = (await Promise.all(brokers.map((b) => listBrokerReplicas(b.broker_id)))).flat();
  const health = partitionHealth(replicas);
  const partitions = topics.reduce((sum, t) => sum + t.partitions_count, 0);
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Cluster <span className="font-mono text-slate-900 dark:text-slate-100" data-testid="cluster-id">{cluster.cluster_id}</span>
      </p>
      <dl className="grid grid-cols-2 gap-4 md:grid-cols-5">
        <Stat label="Brokers" value={formatCount(brokers.length)} testId="brokers-count" />
        <Stat label="Topics" value={formatCount(topics.length)} testId="topics-count" />
        <Stat label="Partitions" value={formatCount(partitions)} testId="partitions-count" />
        <Stat label="Under-replicated" value={formatCount(health.underReplicated)} tone={health.underReplicated > 0 ? 'bad' : 'good'} testId="under-replicated-count" />
        <Stat label="Offline partitions" value={formatCount(health.offline)} tone={health.offline > 0 ? 'bad' : 'good'} testId="offline-count" />
      </dl>
    </div>
  );
}
