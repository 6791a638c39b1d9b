import type { PurgatoryStats } from '@weir/contracts';
import { EmptyRow, Table, Td, Th } from '../../_components/table';
import { formatCount, formatRate } from '../../_lib/format';
import { sortPurgatories } from './operations-history';

/** A purgatory row: its stats, and its rates once the live channel has given them. */
export type PurgatoryRow = PurgatoryStats & { completions_per_sec?: number; expirations_per_sec?: number };

const rate = (value: number | undefined) => (value === undefined ? '—' : formatRate(value));

/** One row per purgatory of each running broker. */
export function PurgatoriesTable({ purgatories }: { purgatories: readonly PurgatoryRow[] }) {
  return (
    <Table caption="Purgatories: requests waiting to complete or time out, per broker">
      <thead>
        <tr>
          <Th>Broker</Th>
          <Th>Purgatory</Th>
          <Th numeric>Waiting</Th>
          <Th numeric>Watch registrations</Th>
          <Th numeric>Completions/s</Th>
          <Th numeric>Expirations/s</Th>
          <Th numeric>Completed</Th>
          <Th numeric>Expired</Th>
        </tr>
      </thead>
      <tbody>
        {purgatories.length === 0 ? (
          <EmptyRow colSpan={8}>No broker of this gateway is running.</EmptyRow>
        ) : (
          sortPurgatories(purgatories).map((p) => (
            <tr key={`${p.broker_id}/${p.name}`} data-testid={`purgatory-${p.broker_id}-${p.name}`}>
              <Td numeric>{p.broker_id}</Td>
              <Td>{p.name}</Td>
              <Td numeric><span data-testid={`delayed-${p.broker_id}-${p.name}`}>{formatCount(p.delayed)}</span></Td>
              <Td numeric>{formatCount(p.watched)}</Td>
              <Td numeric>{rate(p.completions_per_sec)}</Td>
              <Td numeric>{rate(p.expirations_per_sec)}</Td>
              <Td numeric>{formatCount(p.completed_total)}</Td>
              <Td numeric>{formatCount(p.expired_total)}</Td>
            </tr>
          ))
        )}
      </tbody>
    </Table>
  );
}
