import type { TopicSummary } from '@weir/contracts';
import Link from 'next/link';
import { EmptyRow, Table, Td, Th } from '../../_components/table';
import { formatBytes, formatCount } from '../../_lib/format';
import { listTopicSummaries } from '../../_lib/gateway/topics';
import { LiveTopicRates, TopicRateCell } from './live-topic-rates';
import { Pagination } from './pagination';
import { SortHeader } from './sort-header';
import { lastPage, topicSummaryQuery, type TopicListState } from './topic-list-state';

const linkClass = 'text-sky-700 hover:underline dark:text-sky-400';

/**
 * One page of topics in one gateway request (topic-summaries: searched, sorted and paged
 * there, with sizes, groups and lag), however many topics the cluster has. A page past
 * the end shows the last page.
 */
export async function TopicsTable({ state }: { state: TopicListState }) {
  let list = await listTopicSummaries(topicSummaryQuery(state));
  const last = lastPage(list.metadata.total, state.pageSize);
  if (state.page > last) list = await listTopicSummaries(topicSummaryQuery({ ...state, page: last }));
  const rows = list.data;
  return (
    <div className="space-y-4">
      <LiveTopicRates topics={rows.map((r) => r.topic_name)}>
        <Table caption="Topics">
          <thead>
            <tr>
              <SortHeader state={state} sortKey="name" label="Name" />
              <SortHeader state={state} sortKey="partitions" label="Partitions" numeric />
              <SortHeader state={state} sortKey="replication_factor" label="Replication factor" numeric />
              <SortHeader state={state} sortKey="under_replicated" label="Under-replicated" numeric />
              <SortHeader state={state} sortKey="size" label="Size" numeric />
              <SortHeader state={state} sortKey="records_in" label="Msgs/s in" numeric />
              <Th numeric>Consumer groups</Th>
              <Th numeric>Total lag</Th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && <EmptyRow colSpan={8}>{state.q ? `No topic name contains "${state.q}".` : 'No topics yet.'}</EmptyRow>}
            {rows.map((row) => (
              <TopicRow key={row.topic_name} row={row} />
            ))}
          </tbody>
        </Table>
      </LiveTopicRates>
      <Pagination state={state} total={list.metadata.total} />
    </div>
  );
}

function TopicRow({ row }: { row: TopicSummary }) {
  return (
    <tr className="hover:bg-slate-50 dark:hover:bg-slate-800/50">
      <Td>
        <Link href={`/topics/${encodeURIComponent(row.topic_name)}`} className={`font-medium ${linkClass}`}>
          {row.topic_name}
        </Link>
        {row.is_internal && <span className="ml-2 rounded bg-slate-200 px-1.5 text-xs dark:bg-slate-700">internal</span>}
      </Td>
      <Td numeric>{row.partitions_count}</Td>
      <Td numeric>{row.replication_factor}</Td>
      <Td numeric>
        <UnderReplicated count={row.under_replicated_partitions} offline={row.offline_partitions} />
      </Td>
      <Td numeric>{formatBytes(row.size_bytes)}</Td>
      <Td numeric>
        <TopicRateCell topic={row.topic_name} initial={row.records_in_per_sec} />
      </Td>
      <Td numeric>
        <ConsumerGroups row={row} />
      </Td>
      <Td numeric>{row.consumer_groups_count === 0 ? '—' : formatCount(row.total_lag)}</Td>
    </tr>
  );
}

/** Marked by a symbol and words as well as colour; offline partitions are named too. */
function UnderReplicated({ count, offline }: { count: number; offline: number }) {
  if (count === 0 && offline === 0) return <>0</>;
  return (
    <span className="font-semibold text-amber-800 dark:text-amber-300" data-testid="under-replicated">
      <span aria-hidden="true">⚠ </span>
      {count}
      <span className="sr-only"> under-replicated</span>
      {offline > 0 && <span className="ml-1">({offline} offline)</span>}
    </span>
  );
}

/** The count, and the first groups linked: to the group itself, or to the groups list searched for it. */
function ConsumerGroups({ row }: { row: TopicSummary }) {
  if (row.consumer_groups_count === 0) return <>0</>;
  return (
    <span className="inline-flex flex-col items-end">
      <Link href={`/consumer-groups?q=${encodeURIComponent(row.consumer_groups[0]!)}`} className={linkClass}
        aria-label={`${row.consumer_groups_count} consumer group${row.consumer_groups_count === 1 ? '' : 's'} of ${row.topic_name} in the groups list`}>
        {row.consumer_groups_count}
      </Link>
      <span className="text-xs text-slate-600 dark:text-slate-400">
        {row.consumer_groups.map((g, i) => (
          <span key={g}>
            {i > 0 && ', '}
            <Link href={`/consumer-groups/${encodeURIComponent(g)}`} className={linkClass}>{g}</Link>
          </span>
        ))}
        {row.consumer_groups_count > row.consumer_groups.length && ` +${row.consumer_groups_count - row.consumer_groups.length}`}
      </span>
    </span>
  );
}
