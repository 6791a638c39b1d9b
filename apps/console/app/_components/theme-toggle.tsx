'use client';

import { useSyncExternalStore } from 'react';
import { writePreferences } from '../_features/settings/preferences';

function subscribe(onChange: () => void): () => void {
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['class'] });
  return () => observer.disconnect();
}

const isDark = () => document.documentElement.classList.contains('dark');

export function ThemeToggle() {
  // null on the server: the theme is only known in the browser (set by ThemeScript).
  const dark = useSyncExternalStore(subscribe, isDark, () => null);

  // Through the preferences, so the Settings page (and every tab) shows the choice at once.
  const toggle = () => writePreferences({ theme: isDark() ? 'light' : 'dark' });

  return (
    <button
      type="button"
      onClick={toggle}
      aria-pressed={dark ?? undefined}
      aria-label="Dark theme"
      title="Toggle light and dark theme"
      className="rounded-md border border-slate-300 px-2.5 py-1 text-sm hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-500 dark:border-slate-700 dark:hover:bg-slate-800"
    >
      <span aria-hidden="true">{dark === null ? '◐' : dark ? '☾' : '☀'}</span>
    </button>
  );
}
