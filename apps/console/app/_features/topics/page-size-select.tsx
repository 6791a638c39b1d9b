'use client';

import { useRouter } from 'next/navigation';
import { TOPIC_PAGE_SIZES, topicListHref, type TopicListState } from './topic-list-state';

/** Topics per page; a change goes back to the first page. */
export function PageSizeSelect({ state }: { state: TopicListState }) {
  const router = useRouter();
  return (
    <label className="flex items-center gap-1.5">
      <span>Per page</span>
      <select
        value={state.pageSize}
        onChange={(e) => router.push(topicListHref(state, { pageSize: Number(e.target.value), page: 1 }))}
        className="rounded-md border border-slate-300 bg-white px-2 py-1 dark:border-slate-700 dark:bg-slate-900"
      >
        {TOPIC_PAGE_SIZES.map((n) => (
          <option key={n} value={n}>{n}</option>
        ))}
      </select>
    </label>
  );
}
