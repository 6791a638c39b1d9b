import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { Suspense } from 'react';
import { TableSkeleton } from '../../_components/skeleton';
import { permitted } from '../../_features/auth/permitted';
import { ConfigsTable } from '../../_features/configs/configs-table';
import { ElectLeadersButton } from '../../_features/elections/elect-leaders-button';
import { MessageBrowser } from '../../_features/messages/message-browser';
import { SeekForm } from '../../_features/messages/seek-form';
import { parseSeekState } from '../../_features/messages/seek-params';
import { ProduceForm } from '../../_features/produce/produce-form';
import { ReassignPanel } from '../../_features/reassignment/reassign-panel';
import { PartitionsTable } from '../../_features/topic-detail/partitions-table';
import { TopicHeader } from '../../_features/topic-detail/topic-header';
import { parseTopicTab, TopicTabs } from '../../_features/topic-detail/topic-tabs';
import { GatewayError } from '../../_lib/gateway/http';
import { getTopic } from '../../_lib/gateway/topics';

type Props = { params: Promise<{ topic: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: decodeURIComponent((await params).topic) };
}

async function loadTopic(name: string) {
  try {
    return await getTopic(name);
  } catch (err) {
    if (err instanceof GatewayError && err.notFound) notFound();
    throw err;
  }
}

export default async function TopicPage({ params, searchParams }: Props) {
  const name = decodeURIComponent((await params).topic);
  const query = await searchParams;
  const tab = parseTopicTab(query.tab);
  const topic = await loadTopic(name);
  const seek = parseSeekState(query, topic.partitions_count);
  const canOperate = await permitted('operate');
  return (
    <section aria-labelledby="topic-title" className="space-y-6">
      <TopicHeader topic={topic} />
      <TopicTabs topic={name} active={tab} canProduce={canOperate} />
      {tab === 'partitions' && (
        <div className="space-y-6">
          <div className="flex justify-end">
            <ElectLeadersButton topic={name} />
          </div>
          <Suspense fallback={<TableSkeleton label="Loading partitions" />}>
            <PartitionsTable topic={name} />
          </Suspense>
          {canOperate && (
            <Suspense fallback={null}>
              <ReassignPanel topic={name} />
            </Suspense>
          )}
        </div>
      )}
      {tab === 'configs' && (
        <Suspense fallback={<TableSkeleton label="Loading configs" rows={10} />}>
          <ConfigsTable topic={name} />
        </Suspense>
      )}
      {tab === 'messages' && (
        <div className="space-y-4">
          <SeekForm topic={name} state={seek} partitionsCount={topic.partitions_count} />
          <Suspense key={JSON.stringify(seek)} fallback={<TableSkeleton label="Loading messages" />}>
            <MessageBrowser topic={name} state={seek} />
          </Suspense>
        </div>
      )}
      {tab === 'produce' && (canOperate ? <ProduceForm topic={name} partitionsCount={topic.partitions_count} /> : <p role="alert" className="text-sm">Producing needs the operator role.</p>)}
    </section>
  );
}
