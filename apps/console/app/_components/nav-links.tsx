'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { can, capabilityForPage } from '../_features/auth/permissions';
import { useSession } from '../_features/auth/session-context';

const LINKS = [
  { href: '/', label: 'Overview' },
  { href: '/topics', label: 'Topics' },
  { href: '/consumer-groups', label: 'Consumer groups' },
  { href: '/transactions', label: 'Transactions' },
  { href: '/brokers', label: 'Brokers' },
  { href: '/registry', label: 'Registry' },
  { href: '/delayed-operations', label: 'Delayed operations' },
  { href: '/settings', label: 'Settings' },
  // Admin pages last: the pages everyone has keep their places in the nav.
  { href: '/users', label: 'Users' },
  { href: '/acls', label: 'ACLs' },
  { href: '/audit', label: 'Audit log' },
] as const;

function isActive(pathname: string, href: string): boolean {
  return href === '/' ? pathname === '/' : pathname === href || pathname.startsWith(`${href}/`);
}

export function NavLinks() {
  const pathname = usePathname();
  const role = useSession()?.role;
  // Only the pages this role may open (permissions.ts); none before sign-in.
  const links = LINKS.filter(({ href }) => can(role, capabilityForPage(href)));
  return (
    <ul className="flex flex-wrap items-center gap-1">
      {links.map(({ href, label }) => {
        const active = isActive(pathname, href);
        return (
          <li key={href}>
            <Link
              href={href}
              aria-current={active ? 'page' : undefined}
              className={`rounded-md px-3 py-1.5 text-sm focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-500 ${
                active
                  ? 'bg-slate-100 font-medium text-slate-900 dark:bg-slate-800 dark:text-white'
                  : 'text-slate-600 hover:text-slate-900 dark:text-slate-300 dark:hover:text-white'
              }`}
            >
              {label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
