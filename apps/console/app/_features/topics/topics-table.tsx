import Link from 'next/link';
import { EmptyRow, Table, Td, Th } from '../../_components/table';
import { formatBytes } from '../../_lib/format';
import { topicSizeBytes } from '../../_lib/gateway/partitions';
import { listTopics } from '../../_lib/gateway/topics';
import { TopicRate } from '../live/topic-rate';
import { Pagination } from './pagination';
import { SortHeader } from './sort-header';
import { TOPICS_PAGE_SIZE, type TopicListState } from './topic-list-state';
import { queryTopics } from './topic-query';

export async function TopicsTable({ state }: { state: TopicListState }) {
  const topics = await listTopics();
  const rows = topics.map((t) => ({ name: t.topic_name, partitions: t.partitions_count, replicationFactor: t.replication_factor, internal: t.is_internal }));
  const page = queryTopics(rows, state, TOPICS_PAGE_SIZE);
  // Sizes come from the partitions resource: fetched for the visible page only.
  const sizes = await Promise.all(page.rows.map((r) => topicSizeBytes(r.name).catch(() => null)));
  return (
    <div className="space-y-4">
      <Table caption="Topics">
        <thead>
          <tr>
            <SortHeader state={state} sortKey="name" label="Name" />
            <SortHeader state={state} sortKey="partitions" label="Partitions" numeric />
            <SortHeader state={state} sortKey="replication" label="Replication factor" numeric />
            <Th numeric>Size</Th>
            <Th numeric>Msgs/s in</Th>
          </tr>
        </thead>
        <tbody>
          {page.rows.length === 0 && <EmptyRow colSpan={5}>{state.q ? `No topic name contains "${state.q}".` : 'No topics yet.'}</EmptyRow>}
          {page.rows.map((row, i) => (
            <tr key={row.name} className="hover:bg-slate-50 dark:hover:bg-slate-800/50">
              <Td>
                <Link href={`/topics/${encodeURIComponent(row.name)}`} className="font-medium text-sky-700 hover:underline dark:text-sky-400">
                  {row.name}
                </Link>
                {row.internal && <span className="ml-2 rounded bg-slate-200 px-1.5 text-xs dark:bg-slate-700">internal</span>}
              </Td>
              <Td numeric>{row.partitions}</Td>
              <Td numeric>{row.replicationFactor}</Td>
              <Td numeric>{sizes[i] === null || sizes[i] === undefined ? '—' : formatBytes(sizes[i])}</Td>
              <Td numeric>
                <TopicRate topic={row.name} />
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
      <Pagination state={state} page={page.page} pageCount={page.pageCount} total={page.total} />
    </div>
  );
}
