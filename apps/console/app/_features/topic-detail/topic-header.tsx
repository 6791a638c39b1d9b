import type { TopicData } from '@weir/contracts';
import { PageHeader, TopicsBreadcrumb } from '../../_components/page-header';
import { LiveRefresh } from '../live/live-refresh';

export function TopicHeader({ topic }: { topic: TopicData }) {
  return (
    <div className="space-y-2">
      <TopicsBreadcrumb current={topic.topic_name} />
      <PageHeader id="topic-title" title={<span className="font-mono" data-testid="topic-title">{topic.topic_name}</span>}>
        <LiveRefresh channel={`topic:${topic.topic_name}`} />
      </PageHeader>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        {topic.partitions_count} partition{topic.partitions_count === 1 ? '' : 's'} · replication factor {topic.replication_factor}
        {topic.is_internal ? ' · internal' : ''}
      </p>
    </div>
  );
}
