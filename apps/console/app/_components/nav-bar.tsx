import Link from 'next/link';
import { UserMenu } from '../_features/auth/user-menu';
import type { SessionUser } from '../_lib/gateway/auth';
import { NavLinks } from './nav-links';
import { ThemeToggle } from './theme-toggle';

export function NavBar({ user }: { user: SessionUser | null }) {
  return (
    <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-sky-600 focus:px-3 focus:py-1 focus:text-white">
        Skip to content
      </a>
      <nav aria-label="Main" className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-6 py-3">
        <Link href="/" className="rounded-md text-lg font-semibold tracking-tight focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-500">
          Weir
        </Link>
        <NavLinks />
        <div className="ml-auto flex items-center gap-4">
          <UserMenu user={user} />
          <ThemeToggle />
        </div>
      </nav>
    </header>
  );
}
