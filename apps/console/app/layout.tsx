import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { NavBar } from './_components/nav-bar';
import './globals.css';

export const metadata: Metadata = {
  title: 'Weir console',
  description: 'Brokers, topics, partitions and consumer groups of a Weir cluster',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased dark:bg-slate-950 dark:text-slate-100">
        <NavBar />
        <main className="mx-auto max-w-7xl px-6 py-8">{children}</main>
      </body>
    </html>
  );
}
