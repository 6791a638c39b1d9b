import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { Suspense } from 'react';
import { PageHeader } from '../../_components/page-header';
import { Panel, Stat } from '../../_components/panel';
import { TableSkeleton } from '../../_components/skeleton';
import { LagsTable, MembersTable } from '../../_features/consumer-groups/group-detail-tables';
import { GroupStateBadge } from '../../_features/consumer-groups/group-state-badge';
import { LagChart } from '../../_features/consumer-groups/lag-chart';
import { LiveGroupLag } from '../../_features/consumer-groups/live-group-lag';
import { permitted } from '../../_features/auth/permitted';
import { ResetWizard } from '../../_features/consumer-groups/reset-wizard';
import { LiveRefresh } from '../../_features/live/live-refresh';
import { getConsumerGroup, groupPath } from '../../_lib/gateway/consumer-groups';
import { GatewayError } from '../../_lib/gateway/http';

/** read_committed consumers stop at the LSO: their lag ends there, not at the HW. */
const LAG_ISOLATION = { read_committed: 'to the LSO (read_committed)', read_uncommitted: 'to the HW (read_uncommitted)', none: '' } as const;

type Props = { params: Promise<{ group: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: decodeURIComponent((await params).group) };
}

async function loadGroup(groupId: string) {
  try {
    return await getConsumerGroup(groupId);
  } catch (err) {
    if (err instanceof GatewayError && err.notFound) notFound();
    throw err;
  }
}

export default async function ConsumerGroupPage({ params }: Props) {
  const groupId = decodeURIComponent((await params).group);
  const group = await loadGroup(groupId);
  const active = group.state !== 'EMPTY' && group.state !== 'DEAD';
  const canReset = await permitted('operate');
  return (
    <section aria-labelledby="group-title" className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/consumer-groups" className="text-sky-700 hover:underline dark:text-sky-400">Consumer groups</Link>
        <span aria-hidden="true"> / </span>
        <span aria-current="page">{groupId}</span>
      </nav>
      <PageHeader id="group-title" title={<>{groupId} <GroupStateBadge state={group.state} /></>}>
        <LiveRefresh channel="groups" group={groupId} />
      </PageHeader>
      <dl className="grid grid-cols-2 gap-4 md:grid-cols-4">
        <Stat label="Members" value={group.members_count} testId="group-members" />
        <Stat
          label="Total lag"
          value={<>
            {/* Keyed by the rendered value: a refresh starts it from the server's figure again. */}
            <LiveGroupLag key={group.total_lag} groupId={groupId} initial={group.total_lag} />
            <span className="mt-1 block text-xs font-normal text-slate-600 dark:text-slate-400" data-testid="group-lag-isolation">{LAG_ISOLATION[group.lag_isolation_level ?? 'none']}</span>
          </>}
          testId="group-total-lag"
        />
        <Stat label="Protocol" value={group.is_simple ? 'simple' : group.partition_assignor || group.protocol_type} />
        <Stat label="Coordinator" value={`broker ${group.coordinator.related.split('/').at(-1) ?? '?'}`} />
      </dl>
      <Panel title="Lag over time">
        <LagChart historyUrl={`/gateway${await groupPath(groupId, '/lag-history')}`} groupId={groupId} />
      </Panel>
      <Panel title="Members">
        <Suspense fallback={<TableSkeleton label="Loading members" rows={3} />}>
          <MembersTable groupId={groupId} />
        </Suspense>
      </Panel>
      <Panel title="Offsets and lag">
        <Suspense fallback={<TableSkeleton label="Loading lags" rows={6} />}>
          <LagsTable groupId={groupId} />
        </Suspense>
      </Panel>
      {canReset && (
        <Panel title="Reset offsets">
          <ResetWizard groupId={groupId} active={active} />
        </Panel>
      )}
    </section>
  );
}
