import type { PartitionData } from '@weir/contracts';
import { Badge } from '../../_components/badge';
import { Table, Td, Th } from '../../_components/table';
import { formatBytes, formatCount } from '../../_lib/format';
import { listPartitions } from '../../_lib/gateway/partitions';

/** The replica list with each replica's state: out of the ISR, broker offline, being added or removed. */
function ReplicaList({ p }: { p: PartitionData }) {
  return (
    <span className="inline-flex flex-wrap gap-1">
      {p.replica_ids.map((id) => {
        const offline = p.offline_replicas.includes(id);
        const outOfSync = !p.isr.includes(id);
        const notes = [offline ? 'broker offline' : null, outOfSync ? 'out of sync' : null, p.adding_replicas.includes(id) ? 'being added' : null, p.removing_replicas.includes(id) ? 'being removed' : null].filter(Boolean);
        const color = offline ? 'text-rose-700 line-through dark:text-rose-400' : outOfSync ? 'text-amber-700 dark:text-amber-400' : '';
        return (
          <span key={id} className={`font-mono text-xs ${color}`} data-testid={`replica-${id}`} data-state={outOfSync ? 'out-of-sync' : 'in-sync'} title={notes.join(', ') || 'in sync'}>
            {id}
            {notes.length > 0 && <span className="sr-only"> ({notes.join(', ')})</span>}
          </span>
        );
      })}
    </span>
  );
}

/** -1: no broker of the gateway holds this partition's log (it is offline, or led elsewhere). */
const offset = (n: number) => (n < 0 ? '—' : formatCount(n));

/** The LSO, marked when an open transaction holds it below the HW (read_committed consumers wait there). */
function StableOffset({ p }: { p: PartitionData }) {
  const held = p.last_stable_offset >= 0 && p.last_stable_offset < p.high_watermark;
  return (
    <span
      className={held ? 'font-medium text-amber-700 dark:text-amber-400' : ''}
      data-testid="lso" data-held={held}
      title={held ? 'An open transaction holds the last stable offset below the high watermark' : undefined}
    >
      {offset(p.last_stable_offset)}
      {held && <> <Badge tone="warn">open transaction</Badge></>}
    </span>
  );
}

export async function PartitionsTable({ topic }: { topic: string }) {
  const partitions = await listPartitions(topic);
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
          <Th numeric>Last stable</Th>
          <Th numeric>Log end</Th>
          <Th numeric>Size</Th>
        </tr>
      </thead>
      <tbody>
        {partitions.map((p) => {
          const underReplicated = p.isr.length < p.replica_ids.length;
          const reassigning = p.adding_replicas.length > 0 || p.removing_replicas.length > 0;
          return (
            <tr key={p.partition_id} data-testid={`partition-${p.partition_id}`} data-offline={p.is_offline} className={p.is_offline ? 'bg-rose-50 dark:bg-rose-950/40' : ''}>
              <Td numeric>{p.partition_id}</Td>
              <Td numeric>
                {p.leader_id === null || p.is_offline ? <Badge tone="bad" testId="partition-offline">offline</Badge> : <span data-testid="leader">{p.leader_id}</span>}
              </Td>
              <Td>
                <span className="inline-flex items-center gap-2">
                  <ReplicaList p={p} />
                  {reassigning && <Badge tone="info">reassigning</Badge>}
                </span>
              </Td>
              <Td mono>
                <span className={underReplicated ? 'text-amber-700 dark:text-amber-400' : ''} data-testid="isr">{p.isr.join(', ')}</span>
                {underReplicated && <span className="sr-only"> (under-replicated)</span>}
              </Td>
              <Td numeric>{offset(p.log_start_offset)}</Td>
              <Td numeric><span data-testid="hw">{offset(p.high_watermark)}</span></Td>
              <Td numeric><StableOffset p={p} /></Td>
              <Td numeric>{offset(p.log_end_offset)}</Td>
              <Td numeric>{formatBytes(p.size_bytes)}</Td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}
