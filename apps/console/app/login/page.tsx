import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { PageHeader } from '../_components/page-header';
import { LoginForm } from '../_features/auth/login-form';
import { currentUser } from '../_lib/gateway/auth';
import { safeNextPath } from '../_lib/gateway/forwarding';

export const metadata: Metadata = { title: 'Sign in' };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function LoginPage({ searchParams }: Props) {
  const query = await searchParams;
  const next = safeNextPath(query.next);
  const token = typeof query.token === 'string' && query.token.length > 0 ? query.token : null;
  const user = await currentUser();
  if (user !== null && !user.authEnabled) {
    return (
      <section aria-labelledby="login-title" className="mx-auto max-w-sm space-y-4">
        <PageHeader id="login-title" title="Sign in" />
        <p className="text-sm">This gateway runs without authentication (WEIR_AUTH=off): there is nothing to sign in to.</p>
        <Link href="/" className="text-sm text-sky-700 underline dark:text-sky-400">To the overview</Link>
      </section>
    );
  }
  // Already signed in (and not here to use a one-time link): straight on.
  if (user !== null && token === null) redirect(next);
  return (
    <section aria-labelledby="login-title" className="mx-auto max-w-sm space-y-6">
      <PageHeader id="login-title" title="Sign in to Weir" />
      <LoginForm next={next} token={token} />
    </section>
  );
}
