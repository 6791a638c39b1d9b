import Form from 'next/form';
import type { TopicListState } from './topic-list-state';

/** A GET form: works without JavaScript, and navigates client-side with it. */
export function TopicsSearch({ state }: { state: TopicListState }) {
  const sort = `${state.direction === 'desc' ? '-' : ''}${state.sortKey}`;
  return (
    <Form action="/topics" role="search" className="flex items-end gap-2">
      <div className="flex flex-col gap-1">
        <label htmlFor="topic-search" className="text-sm font-medium">
          Search topics
        </label>
        <input
          id="topic-search"
          name="q"
          type="search"
          defaultValue={state.q}
          placeholder="name contains…"
          className="w-72 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900"
        />
      </div>
      {sort !== 'name' && <input type="hidden" name="sort" value={sort} />}
      <button type="submit" className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800">
        Search
      </button>
    </Form>
  );
}
