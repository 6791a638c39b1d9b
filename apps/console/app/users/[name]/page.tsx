import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense } from 'react';
import { PageHeader } from '../../_components/page-header';
import { TableSkeleton } from '../../_components/skeleton';
import { ApiKeysPanel } from '../../_features/api-keys/api-keys-panel';
import { NotPermitted } from '../../_features/auth/not-permitted';
import { permitted } from '../../_features/auth/permitted';

type Props = { params: Promise<{ name: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: decodeURIComponent((await params).name) };
}

/** One user's API keys, as an admin manages them. */
export default async function UserPage({ params }: Props) {
  const name = decodeURIComponent((await params).name);
  if (!(await permitted('administer'))) return <NotPermitted title="Users" />;
  return (
    <section aria-labelledby="user-title" className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/users" className="text-sky-700 hover:underline dark:text-sky-400">Users</Link>
        <span aria-hidden="true"> / </span>
        <span aria-current="page">{name}</span>
      </nav>
      <PageHeader id="user-title" title={name} />
      <Suspense fallback={<TableSkeleton label="Loading API keys" rows={3} />}>
        <ApiKeysPanel user={name} />
      </Suspense>
    </section>
  );
}
