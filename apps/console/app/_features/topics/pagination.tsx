import Link from 'next/link';
import { PageSizeSelect } from './page-size-select';
import { lastPage, topicListHref, type TopicListState } from './topic-list-state';

const linkClass = 'rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800';
const offClass = 'rounded-md border border-slate-200 px-3 py-1 text-slate-400 dark:border-slate-800 dark:text-slate-500';

/** First, previous, next and last pages, and the page size; a link that leads nowhere is shown disabled. */
export function Pagination({ state, total }: { state: TopicListState; total: number }) {
  const last = lastPage(total, state.pageSize);
  const page = Math.min(state.page, last);
  const to = (target: number, label: string, rel?: string) =>
    target === page || target < 1 || target > last ? (
      <span aria-disabled="true" className={offClass}>{label}</span>
    ) : (
      <Link href={topicListHref(state, { page: target })} className={linkClass} rel={rel}>{label}</Link>
    );
  return (
    <nav aria-label="Topic pages" className="flex flex-wrap items-center justify-between gap-3 text-sm">
      <p className="text-slate-600 dark:text-slate-400" data-testid="topic-count">
        {total} topic{total === 1 ? '' : 's'} · page {page} of {last}
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <PageSizeSelect state={state} />
        {to(1, 'First')}
        {to(page - 1, 'Previous', 'prev')}
        {to(page + 1, 'Next', 'next')}
        {to(last, 'Last')}
      </div>
    </nav>
  );
}
