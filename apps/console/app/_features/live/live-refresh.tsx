'use client';

import type { LiveChannel, LiveServerFrame } from '@weir/contracts';
import { useRouter } from 'next/navigation';
import { useEffect, useRef } from 'react';
import { usePreferences } from '../settings/preferences';
import { useLiveChannel, useLiveStatus } from './live-provider';

const MIN_REFRESH_INTERVAL_MS = 2000;
const POLL_INTERVAL_MS = 5000;

/** Frames that change what a server-rendered page shows; `group` narrows `groups` frames to one group. */
function changesPage(frame: LiveServerFrame, group: string | undefined): boolean {
  if (frame.type === 'throughput' || frame.type === 'subscribed' || frame.type === 'cluster-history') return false;
  if (frame.type !== 'groups' || group === undefined) return true;
  return frame.removed.includes(group) || frame.groups.some((g) => g.group_id === group);
}

/**
 * Keeps a server-rendered page current: re-renders it (router.refresh) when the live
 * channel reports a change, at most every 2 s, or, while the socket is down, polls
 * every 5 s when the tab is visible. Renders the connection state for the user. With live
 * updates off in the settings it does neither: the page stays as loaded.
 */
export function LiveRefresh({ channel, group }: { channel: LiveChannel; group?: string }) {
  const router = useRouter();
  const status = useLiveStatus();
  const { live } = usePreferences();
  const lastRefresh = useRef(0);
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => () => {
    if (pending.current !== null) clearTimeout(pending.current);
  }, []);

  useLiveChannel(channel, (frame) => {
    if (!changesPage(frame, group) || pending.current !== null) return;
    const wait = Math.max(0, lastRefresh.current + MIN_REFRESH_INTERVAL_MS - Date.now());
    pending.current = setTimeout(() => {
      pending.current = null;
      lastRefresh.current = Date.now();
      router.refresh();
    }, wait);
  });

  useEffect(() => {
    if (status === 'open' || !live) return undefined;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') router.refresh();
    }, POLL_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [status, live, router]);

  return (
    <span className="inline-flex items-center gap-1.5 text-xs text-slate-600 dark:text-slate-400" data-testid="live-status">
      <span className={`h-2 w-2 rounded-full ${!live ? 'bg-slate-400' : status === 'open' ? 'bg-emerald-500' : 'bg-amber-500'}`} aria-hidden="true" />
      {!live ? 'Live updates off' : status === 'open' ? 'Live' : 'Polling every 5 s'}
    </span>
  );
}
