'use client';

import { useEffect, useState } from 'react';
import { formatDuration } from './transaction-list-state';

/**
 * How long an open transaction has run, counted on in the browser between refreshes
 * (a timer per row, never a request). Anchored on the gateway's age, so the browser's
 * clock offset does not matter; render it keyed by that age so a refresh starts afresh.
 */
export function TransactionAge({ ageMs }: { ageMs: number }) {
  const [elapsedMs, setElapsedMs] = useState(0);
  useEffect(() => {
    const startedAt = Date.now();
    const timer = setInterval(() => setElapsedMs(Date.now() - startedAt), 1000);
    return () => clearInterval(timer);
  }, []);
  return <span data-testid="txn-age">{formatDuration(ageMs + elapsedMs)}</span>;
}
