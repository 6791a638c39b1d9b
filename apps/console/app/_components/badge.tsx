import type { ReactNode } from 'react';

const TONES = {
  good: 'bg-emerald-100 text-emerald-900 dark:bg-emerald-900/60 dark:text-emerald-100',
  warn: 'bg-amber-100 text-amber-900 dark:bg-amber-900/60 dark:text-amber-100',
  bad: 'bg-rose-100 text-rose-900 dark:bg-rose-900/60 dark:text-rose-100',
  info: 'bg-sky-100 text-sky-900 dark:bg-sky-900/60 dark:text-sky-100',
  plain: 'bg-slate-100 text-slate-800 dark:bg-slate-800 dark:text-slate-200',
} as const;

export type BadgeTone = keyof typeof TONES;

/** A short status word in a coloured pill; the word itself carries the meaning, not the colour. */
export function Badge({ tone = 'plain', children, testId }: { tone?: BadgeTone; children: ReactNode; testId?: string }) {
  return (
    <span className={`inline-block rounded px-1.5 py-0.5 text-xs font-medium ${TONES[tone]}`} data-testid={testId}>
      {children}
    </span>
  );
}
