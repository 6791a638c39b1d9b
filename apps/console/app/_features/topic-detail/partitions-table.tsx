import { Table, Td, Th } from '../../_components/table';
import { formatBytes, formatCount } from '../../_lib/format';
import { brokerIdFromLink } from '../../_lib/gateway/clusters';
import { getPartitionReplicas, listPartitions } from '../../_lib/gateway/topics';

export async function PartitionsTable({ topic }: { topic: string }) {
  const partitions = await listPartitions(topic);
  const replicas = await Promise.all(partitions.map((p) => getPartitionReplicas(topic, p.partition_id)));
  return (
    <Table caption={`Partitions of ${topic}`}>
      <thead>
        <tr>
          <Th numeric>Partition</Th>
          <Th numeric>Leader</Th>
          <Th>Replicas</Th>
          <Th>ISR</Th>
          <Th numeric>Log start</Th>
          <Th numeric>High watermark</Th>
          <Th numeric>Log end</Th>
          <Th numeric>Size</Th>
        </tr>
      </thead>
      <tbody>
        {partitions.map((p, i) => {
          const leader = brokerIdFromLink(p.leader?.related);
          const set = replicas[i] ?? { replicas: [], isr: [] };
          const underReplicated = set.isr.length < set.replicas.length;
          return (
            <tr key={p.partition_id} data-testid={`partition-${p.partition_id}`}>
              <Td numeric>{p.partition_id}</Td>
              <Td numeric>{leader ?? <span className="font-medium text-rose-600 dark:text-rose-400">none</span>}</Td>
              <Td mono>{set.replicas.join(', ')}</Td>
              <Td mono>
                <span className={underReplicated ? 'text-amber-700 dark:text-amber-400' : ''}>{set.isr.join(', ')}</span>
                {underReplicated && <span className="sr-only"> (under-replicated)</span>}
              </Td>
              <Td numeric>{formatCount(p.log_start_offset)}</Td>
              <Td numeric>{formatCount(p.high_watermark)}</Td>
              <Td numeric>{formatCount(p.log_end_offset)}</Td>
              <Td numeric>{formatBytes(p.size_bytes)}</Td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}
