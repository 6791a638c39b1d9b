import type { Metadata } from 'next';
import { Suspense } from 'react';
import { PageHeader } from './_components/page-header';
import { LiveRefresh } from './_features/live/live-refresh';
import { ClusterOverview } from './_features/overview/cluster-overview';
import { ClusterTrends } from './_features/overview/cluster-trends';
import { GatewayStatusLine } from './_features/overview/gateway-status-line';
import { OverviewSkeleton } from './_features/overview/overview-skeleton';

export const metadata: Metadata = { title: 'Overview' };

export default function OverviewPage() {
  return (
    <section aria-labelledby="overview-title" className="space-y-6">
      <PageHeader id="overview-title" title="Overview">
        <LiveRefresh channel="cluster" />
      </PageHeader>
      <Suspense fallback={<OverviewSkeleton />}>
        <ClusterOverview />
      </Suspense>
      {/* Outside the Suspense boundary: it must be subscribed when the history frame arrives. */}
      <ClusterTrends />
      <Suspense fallback={null}>
        <GatewayStatusLine />
      </Suspense>
    </section>
  );
}
