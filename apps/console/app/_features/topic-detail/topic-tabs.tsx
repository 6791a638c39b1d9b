import Link from 'next/link';

export const TOPIC_TABS = ['partitions', 'configs', 'messages', 'produce'] as const;
export type TopicTab = (typeof TOPIC_TABS)[number];

export function parseTopicTab(value: string | string[] | undefined): TopicTab {
  const tab = Array.isArray(value) ? value[0] : value;
  return (TOPIC_TABS as readonly string[]).includes(tab ?? '') ? (tab as TopicTab) : 'partitions';
}

const LABELS: Record<TopicTab, string> = { partitions: 'Partitions', configs: 'Configs', messages: 'Messages', produce: 'Produce' };

/** Views of a topic as links (the tab is in the URL, so each view can be shared); Produce only for those who may. */
export function TopicTabs({ topic, active, canProduce }: { topic: string; active: TopicTab; canProduce: boolean }) {
  return (
    <nav aria-label="Topic views" className="border-b border-slate-200 dark:border-slate-800">
      <ul className="-mb-px flex gap-4">
        {TOPIC_TABS.filter((tab) => canProduce || tab !== 'produce').map((tab) => (
          <li key={tab}>
            <Link
              href={`/topics/${encodeURIComponent(topic)}?tab=${tab}`}
              aria-current={tab === active ? 'page' : undefined}
              className={`inline-block border-b-2 px-1 pb-2 text-sm ${
                tab === active ? 'border-sky-600 font-medium text-slate-900 dark:text-white' : 'border-transparent text-slate-600 hover:text-slate-900 dark:text-slate-400 dark:hover:text-white'
              }`}
            >
              {LABELS[tab]}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
