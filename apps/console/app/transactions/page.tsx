import type { Metadata } from 'next';
import { Suspense } from 'react';
import { PageHeader } from '../_components/page-header';
import { TableSkeleton } from '../_components/skeleton';
import { LiveRefresh } from '../_features/live/live-refresh';
import { parseStateFilter } from '../_features/transactions/transaction-list-state';
import { TransactionsFilter, TransactionsTable } from '../_features/transactions/transactions-table';

export const metadata: Metadata = { title: 'Transactions' };

export default async function TransactionsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const state = parseStateFilter(await searchParams);
  return (
    <section aria-labelledby="transactions-title" className="space-y-6">
      <PageHeader id="transactions-title" title="Transactions">
        <LiveRefresh channel="transactions" />
      </PageHeader>
      <TransactionsFilter state={state} />
      <Suspense key={state ?? ''} fallback={<TableSkeleton label="Loading transactions" rows={5} />}>
        <TransactionsTable state={state} />
      </Suspense>
    </section>
  );
}
