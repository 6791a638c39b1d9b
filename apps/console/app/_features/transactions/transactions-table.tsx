import type { TransactionData, TransactionStateName } from '@weir/contracts';
import Form from 'next/form';
import Link from 'next/link';
import { EmptyRow, Table, Td, Th } from '../../_components/table';
import { listTransactions } from '../../_lib/gateway/transactions';
import { AbortTransaction } from './abort-transaction';
import { TransactionAge } from './transaction-age';
import { formatDuration, STATE_FILTERS } from './transaction-list-state';
import { TransactionStateBadge } from './transaction-state-badge';

/** The open transaction's partitions, behind a disclosure (keyboard and screen readers get it from <details>). */
function PartitionList({ t }: { t: TransactionData }) {
  if (t.partitions_count === 0) return <span className="text-slate-500 dark:text-slate-400">0</span>;
  const sorted = [...t.partitions].sort((a, b) => (a.topic_name === b.topic_name ? a.partition_id - b.partition_id : a.topic_name < b.topic_name ? -1 : 1));
  return (
    <details data-testid="txn-partitions">
      <summary className="cursor-pointer tabular-nums focus-visible:outline-2 focus-visible:outline-sky-500">
        {t.partitions_count} <span className="sr-only">partitions of {t.transactional_id}</span>
      </summary>
      <ul className="mt-1 space-y-0.5 font-mono text-xs">
        {sorted.map((p) => (
          <li key={`${p.topic_name}-${p.partition_id}`}>
            <Link href={`/topics/${encodeURIComponent(p.topic_name)}?tab=partitions`} className="text-sky-700 hover:underline dark:text-sky-400">
              {p.topic_name}-{p.partition_id}
            </Link>
          </li>
        ))}
      </ul>
    </details>
  );
}

export async function TransactionsTable({ state }: { state: TransactionStateName | null }) {
  const transactions = await listTransactions(state === null ? [] : [state]);
  return (
    <Table caption={state === null ? 'Transactional ids' : `Transactional ids in state ${state}`}>
      <thead>
        <tr>
          <Th>Transactional id</Th>
          <Th>State</Th>
          <Th numeric>Producer id</Th>
          <Th numeric>Epoch</Th>
          <Th numeric>Partitions</Th>
          <Th numeric>Age</Th>
          <Th numeric>Timeout</Th>
          <Th numeric>Coordinator</Th>
          <Th>Actions</Th>
        </tr>
      </thead>
      <tbody>
        {transactions.length === 0 && <EmptyRow colSpan={9}>{state === null ? 'No transactional producer has used this cluster yet.' : `No transactional id is ${state}.`}</EmptyRow>}
        {transactions.map((t) => (
          <tr key={t.transactional_id} data-testid={`txn-${t.transactional_id}`} className="align-top hover:bg-slate-50 dark:hover:bg-slate-800/50">
            <Td mono>{t.transactional_id}</Td>
            <Td><TransactionStateBadge state={t.state} /></Td>
            <Td numeric>{t.producer_id}</Td>
            <Td numeric>{t.producer_epoch}</Td>
            <Td numeric><PartitionList t={t} /></Td>
            <Td numeric>
              {t.age_ms === null ? <span aria-label="no open transaction">—</span> : <TransactionAge key={`${t.transaction_start_time_ms}-${t.age_ms}`} ageMs={t.age_ms} />}
            </Td>
            <Td numeric>{formatDuration(t.transaction_timeout_ms)}</Td>
            <Td numeric>{t.coordinator_id}</Td>
            <Td>
              <AbortTransaction transactionalId={t.transactional_id} producerId={t.producer_id} ongoing={t.state === 'Ongoing'} />
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

/** A GET form: the state filter lives in the URL, so a filtered view can be shared. */
export function TransactionsFilter({ state }: { state: TransactionStateName | null }) {
  return (
    <Form action="/transactions" role="search" className="flex items-end gap-2">
      <div className="flex flex-col gap-1">
        <label htmlFor="txn-state-filter" className="text-sm font-medium">State</label>
        <select
          id="txn-state-filter" name="state" defaultValue={state ?? ''}
          className="w-56 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900"
        >
          <option value="">All states</option>
          {STATE_FILTERS.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
      </div>
      <button type="submit" className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800">Filter</button>
    </Form>
  );
}
