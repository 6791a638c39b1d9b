import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { NavBar } from './_components/nav-bar';
import { LiveProvider } from './_features/live/live-provider';
import { ThemeScript } from './_components/theme-script';
import './globals.css';

// Every page shows live cluster state read from the gateway at request time.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = {
  title: { default: 'Weir console', template: '%s · Weir' },
  description: 'Brokers, topics, partitions and messages of a Weir cluster',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    // The theme class is set before hydration by ThemeScript, hence the warning opt-out.
    <html lang="en" suppressHydrationWarning>
      <head>
        <ThemeScript />
      </head>
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased dark:bg-slate-950 dark:text-slate-100">
        <LiveProvider>
          <NavBar />
          <main id="main" className="mx-auto max-w-7xl px-6 py-8">
            {children}
          </main>
        </LiveProvider>
      </body>
    </html>
  );
}
