import type { Metadata } from 'next';
import { Suspense } from 'react';
import { PageHeader } from '../_components/page-header';
import { TableSkeleton } from '../_components/skeleton';
import { parseGroupListState } from '../_features/consumer-groups/group-list-state';
import { GroupsSearch, GroupsTable } from '../_features/consumer-groups/groups-table';
import { LiveRefresh } from '../_features/live/live-refresh';

export const metadata: Metadata = { title: 'Consumer groups' };

export default async function ConsumerGroupsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const state = parseGroupListState(await searchParams);
  return (
    <section aria-labelledby="groups-title" className="space-y-6">
      <PageHeader id="groups-title" title="Consumer groups">
        <LiveRefresh channel="groups" />
      </PageHeader>
      <GroupsSearch state={state} />
      <Suspense key={JSON.stringify(state)} fallback={<TableSkeleton label="Loading consumer groups" rows={8} />}>
        <GroupsTable state={state} />
      </Suspense>
    </section>
  );
}
