import { Panel } from '../../_components/panel';
import { listPartitions } from '../../_lib/gateway/partitions';
import { ReassignForm } from './reassign-form';

/** The reassignment form of a topic, from its partitions' current replicas. */
export async function ReassignPanel({ topic }: { topic: string }) {
  const partitions = await listPartitions(topic);
  const rows = partitions.map((p) => ({
    partition_id: p.partition_id,
    replica_ids: p.replica_ids,
    reassigning: p.adding_replicas.length > 0 || p.removing_replicas.length > 0,
  }));
  return (
    <Panel title="Reassign partitions">
      <ReassignForm topic={topic} rows={rows} />
    </Panel>
  );
}
