import Link from 'next/link';
import { EmptyRow, Table, Td, Th } from '../../_components/table';
import { listLags, listMembers } from '../../_lib/gateway/consumer-groups';

const topicLink = (topic: string) => `/topics/${encodeURIComponent(topic)}`;

/** Members with the host they connected from and the partitions assigned to them. */
export async function MembersTable({ groupId }: { groupId: string }) {
  const members = await listMembers(groupId);
  return (
    <Table caption={`Members of ${groupId}`}>
      <thead>
        <tr>
          <Th>Member</Th>
          <Th>Client id</Th>
          <Th>Instance id</Th>
          <Th>Host</Th>
          <Th>Assigned partitions</Th>
        </tr>
      </thead>
      <tbody>
        {members.length === 0 && <EmptyRow colSpan={5}>No members: the group is not consuming now.</EmptyRow>}
        {members.map((m) => (
          <tr key={m.consumer_id}>
            <Td mono>{m.consumer_id}</Td>
            <Td>{m.client_id}</Td>
            <Td>{m.instance_id ?? '—'}</Td>
            <Td mono>{m.host || '—'}</Td>
            <Td>{m.assignments.length === 0 ? '—' : m.assignments.map((a) => `${a.topic_name}-${a.partition_id}`).join(', ')}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

/**
 * Per partition: committed offset, end offset and lag; a partition without a commit shows
 * no lag. The end is the HW, or the LSO when the lag is measured for read_committed.
 */
export async function LagsTable({ groupId }: { groupId: string }) {
  const lags = (await listLags(groupId)).data;
  const toLso = lags[0]?.isolation_level === 'read_committed';
  return (
    <Table caption={`Committed offsets and lag of ${groupId}`}>
      <thead>
        <tr>
          <Th>Topic</Th>
          <Th numeric>Partition</Th>
          <Th numeric>Committed</Th>
          <Th numeric>Log start</Th>
          <Th numeric>{toLso ? 'End (LSO)' : 'End (HW)'}</Th>
          <Th numeric>Lag</Th>
          <Th>Member</Th>
        </tr>
      </thead>
      <tbody>
        {lags.length === 0 && <EmptyRow colSpan={7}>No committed offsets or assignments.</EmptyRow>}
        {lags.map((l) => (
          <tr key={`${l.topic_name}-${l.partition_id}`} data-testid={`lag-${l.topic_name}-${l.partition_id}`}>
            <Td>
              <Link href={topicLink(l.topic_name)} className="text-sky-700 hover:underline dark:text-sky-400">{l.topic_name}</Link>
            </Td>
            <Td numeric>{l.partition_id}</Td>
            <Td numeric>{l.current_offset ?? '—'}</Td>
            <Td numeric>{l.log_start_offset}</Td>
            <Td numeric>{l.log_end_offset}</Td>
            <Td numeric>{l.lag ?? '—'}</Td>
            <Td mono>{l.client_id ?? '—'}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
