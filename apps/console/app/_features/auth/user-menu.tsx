import Link from 'next/link';
import type { SessionUser } from '../../_lib/gateway/auth';
import { logoutAction } from './logout-action';

/** The signed-in user and role in the nav bar, a link to their account, and Sign out; nothing when auth is off. */
export function UserMenu({ user }: { user: SessionUser | null }) {
  if (user === null || !user.authEnabled) return null;
  return (
    <div className="flex items-center gap-3 text-sm">
      <Link href="/account" className="rounded-md text-slate-700 hover:underline dark:text-slate-200" data-testid="signed-in-user">
        {user.name} <span className="text-slate-600 dark:text-slate-400">({user.role})</span>
      </Link>
      <form action={logoutAction}>
        <button type="submit" className="rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800">
          Sign out
        </button>
      </form>
    </div>
  );
}
