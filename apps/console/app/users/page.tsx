import type { Metadata } from 'next';
import { Suspense } from 'react';
import { PageHeader } from '../_components/page-header';
import { Panel } from '../_components/panel';
import { TableSkeleton } from '../_components/skeleton';
import { NotPermitted } from '../_features/auth/not-permitted';
import { permitted } from '../_features/auth/permitted';
import { CreateUserForm } from '../_features/users/create-user-form';
import { UsersTable } from '../_features/users/users-table';

export const metadata: Metadata = { title: 'Users' };

export default async function UsersPage() {
  if (!(await permitted('administer'))) return <NotPermitted title="Users" />;
  return (
    <section aria-labelledby="users-title" className="space-y-6">
      <PageHeader id="users-title" title="Users" />
      <Panel title="New user">
        <CreateUserForm />
      </Panel>
      <Suspense fallback={<TableSkeleton label="Loading users" rows={5} />}>
        <UsersTable />
      </Suspense>
    </section>
  );
}
