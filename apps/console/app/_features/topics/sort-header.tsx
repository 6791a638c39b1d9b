import Link from 'next/link';
import type { TopicSummarySortKey } from '@weir/contracts';
import { topicListHref, type TopicListState } from './topic-list-state';

/** A column header that sorts by its key; a second click reverses the order. */
export function SortHeader({ state, sortKey, label, numeric = false }: { state: TopicListState; sortKey: TopicSummarySortKey; label: string; numeric?: boolean }) {
  const active = state.sortKey === sortKey;
  const nextDirection = active && state.direction === 'asc' ? 'desc' : 'asc';
  const href = topicListHref(state, { sortKey, direction: nextDirection, page: 1 });
  return (
    <th
      scope="col"
      aria-sort={active ? (state.direction === 'asc' ? 'ascending' : 'descending') : 'none'}
      className={`border-b border-slate-200 px-3 py-2 font-medium text-slate-600 dark:border-slate-700 dark:text-slate-300 ${numeric ? 'text-right' : ''}`}
    >
      <Link href={href} className="hover:underline" aria-label={`Sort by ${label.toLowerCase()}, ${nextDirection === 'asc' ? 'ascending' : 'descending'}`}>
        {label}
        <span aria-hidden="true" className="ml-1">
          {active ? (state.direction === 'asc' ? '▲' : '▼') : '↕'}
        </span>
      </Link>
    </th>
  );
}
