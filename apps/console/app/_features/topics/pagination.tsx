import Link from 'next/link';
import { topicListHref, type TopicListState } from './topic-list-state';

export function Pagination({ state, page, pageCount, total }: { state: TopicListState; page: number; pageCount: number; total: number }) {
  const linkClass = 'rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800';
  return (
    <nav aria-label="Topic pages" className="flex items-center justify-between text-sm">
      <p className="text-slate-600 dark:text-slate-400">
        {total} topic{total === 1 ? '' : 's'} · page {page} of {pageCount}
      </p>
      <div className="flex gap-2">
        {page > 1 ? (
          <Link href={topicListHref(state, { page: page - 1 })} className={linkClass} rel="prev">
            Previous
          </Link>
        ) : null}
        {page < pageCount ? (
          <Link href={topicListHref(state, { page: page + 1 })} className={linkClass} rel="next">
            Next
          </Link>
        ) : null}
      </div>
    </nav>
  );
}
