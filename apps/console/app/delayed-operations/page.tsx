import type { Metadata } from 'next';
import { Suspense } from 'react';
import { PageHeader } from '../_components/page-header';
import { TableSkeleton } from '../_components/skeleton';
import { DelayedOperationsLive } from '../_features/delayed-operations/delayed-operations-live';
import { getDelayedOperations } from '../_lib/gateway/delayed-operations';

export const metadata: Metadata = { title: 'Delayed operations' };

async function DelayedOperations() {
  return <DelayedOperationsLive initial={await getDelayedOperations()} />;
}

export default function DelayedOperationsPage() {
  return (
    <section aria-labelledby="delayed-operations-title" className="space-y-6">
      <PageHeader id="delayed-operations-title" title="Delayed operations" />
      <p className="max-w-3xl text-sm text-slate-600 dark:text-slate-400">
        Requests the brokers answer later: produce waiting for acks=all, fetch waiting for fetch.min.bytes, group joins and syncs waiting for
        their members, member sessions waiting for heartbeats. Their timeouts wait on the timing wheel.
      </p>
      <Suspense fallback={<TableSkeleton label="Loading delayed operations" rows={6} />}>
        <DelayedOperations />
      </Suspense>
    </section>
  );
}
