import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense } from 'react';
import { PageHeader } from '../_components/page-header';
import { permitted } from '../_features/auth/permitted';
import { TableSkeleton } from '../_components/skeleton';
import { LiveRefresh } from '../_features/live/live-refresh';
import { parseTopicListState } from '../_features/topics/topic-list-state';
import { TopicsSearch } from '../_features/topics/topics-search';
import { TopicsTable } from '../_features/topics/topics-table';

export const metadata: Metadata = { title: 'Topics' };

export default async function TopicsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const state = parseTopicListState(await searchParams);
  const canCreate = await permitted('operate');
  return (
    <section aria-labelledby="topics-title" className="space-y-6">
      <PageHeader id="topics-title" title="Topics">
        <LiveRefresh channel="topics" />
        {canCreate && (
          <Link href="/topics/new" className="rounded-md bg-sky-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-sky-800">
            Create topic
          </Link>
        )}
      </PageHeader>
      <TopicsSearch state={state} />
      <Suspense key={JSON.stringify(state)} fallback={<TableSkeleton label="Loading topics" rows={8} />}>
        <TopicsTable state={state} />
      </Suspense>
    </section>
  );
}
