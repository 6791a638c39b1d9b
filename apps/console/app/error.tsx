'use client';

import { ErrorNotice } from './_components/error-notice';

/** Any page whose gateway call failed: the message, and a retry that re-renders the page. */
export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="space-y-4">
      <ErrorNotice title="This page could not be loaded" message={error.message || 'The gateway did not answer as expected.'} />
      <button type="button" onClick={reset} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800">
        Try again
      </button>
    </div>
  );
}
