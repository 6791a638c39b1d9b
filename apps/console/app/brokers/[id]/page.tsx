import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { Suspense } from 'react';
import { ErrorNotice } from '../../_components/error-notice';
import { PageHeader } from '../../_components/page-header';
import { Panel, Stat } from '../../_components/panel';
import { TableSkeleton } from '../../_components/skeleton';
import { BrokerConfigsTable } from '../../_features/brokers/broker-configs-table';
import { LiveRefresh } from '../../_features/live/live-refresh';
import { formatBytes, formatCount } from '../../_lib/format';
import { listBrokerConfigs, listBrokers } from '../../_lib/gateway/brokers';
import { GatewayError } from '../../_lib/gateway/http';

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Broker ${(await params).id}` };
}

async function BrokerConfigs({ brokerId }: { brokerId: number }) {
  try {
    return <BrokerConfigsTable brokerId={brokerId} configs={await listBrokerConfigs(brokerId)} />;
  } catch (err) {
    // Another process's broker: its own gateway answers its configs.
    if (err instanceof GatewayError) return <ErrorNotice title="Configs unavailable" message={err.message} />;
    throw err;
  }
}

/** One broker: its status and load, and its configs. */
export default async function BrokerPage({ params }: Props) {
  const { id } = await params;
  const brokerId = Number(id);
  const broker = /^\d{1,10}$/.test(id) ? (await listBrokers()).find((b) => b.broker_id === brokerId) : undefined;
  if (broker === undefined) notFound();
  return (
    <section aria-labelledby="broker-title" className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/brokers" className="text-sky-700 hover:underline dark:text-sky-400">Brokers</Link>
        <span aria-hidden="true"> / </span>
        <span aria-current="page">Broker {brokerId}</span>
      </nav>
      <PageHeader id="broker-title" title={`Broker ${brokerId}`}>
        <LiveRefresh channel="cluster" />
      </PageHeader>
      <dl className="grid grid-cols-2 gap-4 md:grid-cols-4">
        <Stat label="Status" value={broker.status.replace('_', ' ')} tone={broker.status === 'online' ? 'good' : 'bad'} testId="broker-detail-status" />
        <Stat label="Partitions led" value={formatCount(broker.partitions_led)} />
        <Stat label="Replicas (out of sync)" value={`${formatCount(broker.replicas)} (${formatCount(broker.out_of_sync_replicas)})`} />
        <Stat label="Disk" value={broker.log_dir_size_bytes === null ? '—' : formatBytes(broker.log_dir_size_bytes)} />
      </dl>
      <Panel title="Configs">
        <Suspense fallback={<TableSkeleton label="Loading configs" rows={8} />}>
          <BrokerConfigs brokerId={brokerId} />
        </Suspense>
      </Panel>
    </section>
  );
}
