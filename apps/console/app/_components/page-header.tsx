import Link from 'next/link';
import type { ReactNode } from 'react';

/** A page's h1 (labelling its section by `id`) with actions on the right. */
export function PageHeader({ id, title, children }: { id: string; title: ReactNode; children?: ReactNode }) {
  return (
    <div className="flex flex-wrap items-center justify-between gap-4">
      <h1 id={id} className="text-2xl font-semibold">
        {title}
      </h1>
      {children !== undefined && <div className="flex items-center gap-4">{children}</div>}
    </div>
  );
}

/** "Topics / <current>": the way back up from a topic page. */
export function TopicsBreadcrumb({ current }: { current: string }) {
  return (
    <nav aria-label="Breadcrumb" className="text-sm">
      <Link href="/topics" className="text-sky-700 hover:underline dark:text-sky-400">
        Topics
      </Link>
      <span aria-hidden="true"> / </span>
      <span aria-current="page">{current}</span>
    </nav>
  );
}
