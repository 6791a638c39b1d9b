'use client';

import type { LiveChannel } from '@weir/contracts';
import { useRouter } from 'next/navigation';
import { useEffect, useRef } from 'react';
import { useLiveChannel, useLiveStatus } from './live-provider';

const MIN_REFRESH_INTERVAL_MS = 2000;
const POLL_INTERVAL_MS = 5000;

/**
 * Keeps a server-rendered page current: re-renders it (router.refresh) when the live
 * channel reports a change, at most every 2 s, or, while the socket is down, polls
 * every 5 s when the tab is visible. Renders the connection state for the user.
 */
export function LiveRefresh({ channel }: { channel: LiveChannel }) {
  const router = useRouter();
  const status = useLiveStatus();
  const lastRefresh = useRef(0);
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => () => {
    if (pending.current !== null) clearTimeout(pending.current);
  }, []);

  useLiveChannel(channel, (frame) => {
    if (frame.type === 'throughput' || frame.type === 'subscribed' || pending.current !== null) return;
    const wait = Math.max(0, lastRefresh.current + MIN_REFRESH_INTERVAL_MS - Date.now());
    pending.current = setTimeout(() => {
      pending.current = null;
      lastRefresh.current = Date.now();
      router.refresh();
    }, wait);
  });

  useEffect(() => {
    if (status === 'open') return undefined;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') router.refresh();
    }, POLL_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [status, router]);

  return (
    <span className="inline-flex items-center gap-1.5 text-xs text-slate-600 dark:text-slate-400" data-testid="live-status">
      <span className={`h-2 w-2 rounded-full ${status === 'open' ? 'bg-emerald-500' : 'bg-amber-500'}`} aria-hidden="true" />
      {status === 'open' ? 'Live' : 'Polling every 5 s'}
    </span>
  );
}
