import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { NavBar } from './_components/nav-bar';
import { SessionProvider } from './_features/auth/session-context';
import { LiveProvider } from './_features/live/live-provider';
import { currentUser } from './_lib/gateway/auth';
import { GatewayError } from './_lib/gateway/http';
import { currentPath, unauthorized } from './_lib/gateway/identity';
import { ThemeScript } from './_components/theme-script';
import './globals.css';

// Every page shows live cluster state read from the gateway at request time.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = {
  title: { default: 'Weir console', template: '%s · Weir' },
  description: 'Brokers, topics, partitions and messages of a Weir cluster',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Unknown (undefined) when the gateway cannot say: the page then shows its own error for that.
  const user = await currentUser().catch((err: unknown) => {
    if (err instanceof GatewayError) return undefined;
    throw err;
  });
  // Signed out (or the session ended): every page but the login page sends the browser there first.
  if (user === null && !(await currentPath()).startsWith('/login')) await unauthorized();
  return (
    // The theme class is set before hydration by ThemeScript, hence the warning opt-out.
    <html lang="en" suppressHydrationWarning>
      <head>
        <ThemeScript />
      </head>
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased dark:bg-slate-950 dark:text-slate-100">
        <SessionProvider session={user === null || user === undefined ? null : { name: user.name, role: user.role, authEnabled: user.authEnabled }}>
          <LiveProvider>
            <NavBar user={user ?? null} />
            <main id="main" className="mx-auto max-w-7xl px-6 py-8">
              {children}
            </main>
          </LiveProvider>
        </SessionProvider>
      </body>
    </html>
  );
}
