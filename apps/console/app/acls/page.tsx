import type { Metadata } from 'next';
import { Suspense } from 'react';
import { PageHeader } from '../_components/page-header';
import { Panel } from '../_components/panel';
import { TableSkeleton } from '../_components/skeleton';
import { AclFilterForm } from '../_features/acls/acl-filter-form';
import { parseAclFilter } from '../_features/acls/acl-input';
import { AclsTable } from '../_features/acls/acls-table';
import { CreateAclForm } from '../_features/acls/create-acl-form';
import { NotPermitted } from '../_features/auth/not-permitted';
import { permitted } from '../_features/auth/permitted';

export const metadata: Metadata = { title: 'ACLs' };

export default async function AclsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const filter = parseAclFilter(await searchParams);
  if (!(await permitted('administer'))) return <NotPermitted title="ACLs" />;
  return (
    <section aria-labelledby="acls-title" className="space-y-6">
      <PageHeader id="acls-title" title="ACLs" />
      <Panel title="New ACL">
        <CreateAclForm />
      </Panel>
      <AclFilterForm filter={filter} />
      <Suspense key={JSON.stringify(filter)} fallback={<TableSkeleton label="Loading ACLs" rows={6} />}>
        <AclsTable filter={filter} />
      </Suspense>
    </section>
  );
}
