import type { BrokerData } from '@weir/contracts';
import Link from 'next/link';
import { Badge, type BadgeTone } from '../../_components/badge';
import { ConfirmAction } from '../../_components/confirm-action';
import { EmptyRow, Table, Td, Th } from '../../_components/table';
import { formatBytes, formatCount } from '../../_lib/format';
import { listBrokers } from '../../_lib/gateway/brokers';
import { brokerAction } from './broker-action';

const STATUS_TONE: Record<BrokerData['status'], BadgeTone> = { online: 'good', shutting_down: 'warn', offline: 'bad' };
const STATUS_LABEL: Record<BrokerData['status'], string> = { online: 'online', shutting_down: 'shutting down', offline: 'offline' };

/** Stop, controlled shutdown and start, for brokers this console's gateway hosts (single-process mode). */
function BrokerActions({ broker }: { broker: BrokerData }) {
  if (!broker.hosted_here) return <span className="text-xs text-slate-500 dark:text-slate-400">in another process</span>;
  const id = broker.broker_id;
  if (broker.status === 'offline') {
    return <ConfirmAction label="Start" ariaLabel={`Start broker ${id}`} question={`Start broker ${id}?`} action={brokerAction.bind(null, id, 'start')} need="administer" />;
  }
  return (
    <div className="flex flex-wrap gap-2">
      <ConfirmAction
        label="Controlled shutdown"
        ariaLabel={`Controlled shutdown of broker ${id}`}
        question={`Move broker ${id}'s leaderships away, then stop it?`}
        action={brokerAction.bind(null, id, 'controlled-shutdown')}
        need="administer"
      />
      <ConfirmAction
        label="Stop"
        ariaLabel={`Stop broker ${id}`}
        question={`Stop broker ${id} at once, as a crash would?`}
        action={brokerAction.bind(null, id, 'stop')}
        danger
        need="administer"
      />
    </div>
  );
}

export async function BrokersTable() {
  const brokers = await listBrokers();
  return (
    <Table caption="Brokers">
      <thead>
        <tr>
          <Th numeric>Id</Th>
          <Th>Address</Th>
          <Th>Rack</Th>
          <Th>Status</Th>
          <Th numeric>Partitions led</Th>
          <Th numeric>Replicas</Th>
          <Th numeric>Out of sync</Th>
          <Th numeric>Disk</Th>
          <Th>Actions</Th>
        </tr>
      </thead>
      <tbody>
        {brokers.length === 0 && <EmptyRow colSpan={9}>No broker is known to the cluster.</EmptyRow>}
        {brokers.map((b) => (
          <tr key={b.broker_id} data-testid={`broker-${b.broker_id}`}>
            <Td numeric>
              <Link href={`/brokers/${b.broker_id}`} className="text-sky-700 underline-offset-2 hover:underline dark:text-sky-400" aria-label={`Broker ${b.broker_id}: configs and details`}>
                {b.broker_id}
              </Link>
            </Td>
            <Td mono>{b.host === null ? '—' : `${b.host}:${b.port ?? ''}`}</Td>
            <Td>{b.rack ?? '—'}</Td>
            <Td>
              <span className="inline-flex gap-1.5">
                <Badge tone={STATUS_TONE[b.status]} testId="broker-status">{STATUS_LABEL[b.status]}</Badge>
                {b.is_controller && <Badge tone="info" testId="controller-badge">controller</Badge>}
              </span>
            </Td>
            <Td numeric>{formatCount(b.partitions_led)}</Td>
            <Td numeric>{formatCount(b.replicas)}</Td>
            <Td numeric>
              <span className={b.out_of_sync_replicas > 0 ? 'font-medium text-amber-700 dark:text-amber-400' : ''} data-testid="out-of-sync">
                {formatCount(b.out_of_sync_replicas)}
              </span>
            </Td>
            <Td numeric>{b.log_dir_size_bytes === null ? '—' : formatBytes(b.log_dir_size_bytes)}</Td>
            <Td>
              <BrokerActions broker={b} />
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
