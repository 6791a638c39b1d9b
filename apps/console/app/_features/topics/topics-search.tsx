'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { topicListHref, type TopicListState } from './topic-list-state';

/** How long typing pauses before the URL (and so the gateway query) follows. */
const DEBOUNCE_MS = 300;

/**
 * Search as you type: the URL follows the input after a pause (replace, so typing leaves
 * one history entry), back to the first page. Without JavaScript the form still submits.
 */
export function TopicsSearch({ state }: { state: TopicListState }) {
  const router = useRouter();
  const [q, setQ] = useState(state.q);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const sort = `${state.direction === 'desc' ? '-' : ''}${state.sortKey}`;

  useEffect(() => () => {
    if (timer.current !== null) clearTimeout(timer.current);
  }, []);

  const onChange = (value: string) => {
    setQ(value);
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      timer.current = null;
      if (value.trim() !== state.q) router.replace(topicListHref(state, { q: value.trim(), page: 1 }));
    }, DEBOUNCE_MS);
  };

  return (
    <form action="/topics" role="search" className="flex items-end gap-2" onSubmit={(e) => {
      e.preventDefault();
      router.replace(topicListHref(state, { q: q.trim(), page: 1 }));
    }}>
      <div className="flex flex-col gap-1">
        <label htmlFor="topic-search" className="text-sm font-medium">
          Search topics
        </label>
        <input
          id="topic-search"
          name="q"
          type="search"
          value={q}
          onChange={(e) => onChange(e.target.value)}
          placeholder="name contains…"
          className="w-72 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900"
        />
      </div>
      {sort !== 'name' && <input type="hidden" name="sort" value={sort} />}
    </form>
  );
}
