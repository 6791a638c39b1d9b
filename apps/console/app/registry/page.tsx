import type { Metadata } from 'next';
import { Suspense } from 'react';
import { PageHeader } from '../_components/page-header';
import { NotPermitted } from '../_features/auth/not-permitted';
import { permitted } from '../_features/auth/permitted';
import { TableSkeleton } from '../_components/skeleton';
import { RegistryBrowser } from '../_features/registry/registry-browser';
import { parseRegistryView } from '../_features/registry/registry-path';

export const metadata: Metadata = { title: 'Registry' };

export default async function RegistryPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const view = parseRegistryView(await searchParams);
  // The raw znodes include the ACLs: admins only, as the gateway decides.
  if (!(await permitted('administer'))) return <NotPermitted title="Registry" />;
  return (
    <section aria-labelledby="registry-title" className="space-y-6">
      <PageHeader id="registry-title" title="Registry" />
      <Suspense key={`${view.path}|${view.after ?? ''}|${String(view.full)}`} fallback={<TableSkeleton label="Loading the registry" rows={8} />}>
        <RegistryBrowser view={view} />
      </Suspense>
    </section>
  );
}
