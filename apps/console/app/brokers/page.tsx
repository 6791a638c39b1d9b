import type { Metadata } from 'next';
import { Suspense } from 'react';
import { PageHeader } from '../_components/page-header';
import { TableSkeleton } from '../_components/skeleton';
import { BrokersTable } from '../_features/brokers/brokers-table';
import { LiveRefresh } from '../_features/live/live-refresh';

export const metadata: Metadata = { title: 'Brokers' };

export default function BrokersPage() {
  return (
    <section aria-labelledby="brokers-title" className="space-y-6">
      <PageHeader id="brokers-title" title="Brokers">
        <LiveRefresh channel="cluster" />
      </PageHeader>
      <Suspense fallback={<TableSkeleton label="Loading brokers" rows={3} />}>
        <BrokersTable />
      </Suspense>
    </section>
  );
}
