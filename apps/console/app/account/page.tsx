import type { Metadata } from 'next';
import { Suspense } from 'react';
import { PageHeader } from '../_components/page-header';
import { TableSkeleton } from '../_components/skeleton';
import { ApiKeysPanel } from '../_features/api-keys/api-keys-panel';
import { currentUser } from '../_lib/gateway/auth';

export const metadata: Metadata = { title: 'Account' };

/** The signed-in user's own name, role and API keys (any role). */
export default async function AccountPage() {
  const user = await currentUser();
  return (
    <section aria-labelledby="account-title" className="space-y-6">
      <PageHeader id="account-title" title="Account" />
      {user === null || !user.authEnabled ? (
        <p className="text-sm">This gateway runs without authentication (WEIR_AUTH=off): there are no accounts or keys to manage.</p>
      ) : (
        <>
          <dl className="grid grid-cols-[8rem_1fr] gap-2 text-sm">
            <dt className="text-slate-600 dark:text-slate-400">User</dt>
            <dd data-testid="account-name">{user.name}</dd>
            <dt className="text-slate-600 dark:text-slate-400">Role</dt>
            <dd data-testid="account-role">{user.role}</dd>
          </dl>
          <Suspense fallback={<TableSkeleton label="Loading API keys" rows={3} />}>
            <ApiKeysPanel user={user.name} />
          </Suspense>
        </>
      )}
    </section>
  );
}
