'use client';

import { useState } from 'react';
import { useLiveChannel } from '../live/live-provider';

/**
 * A group's total lag, updated in place from the `groups` channel as soon as a sample
 * measures it (the page's LiveRefresh re-renders the rest at most every 2 s, which with
 * the sample interval could leave this figure older than 2 s). Starts from the render's value.
 */
export function LiveGroupLag({ groupId, initial }: { groupId: string; initial: number }) {
  const [lag, setLag] = useState(initial);
  useLiveChannel('groups', (frame) => {
    if (frame.type !== 'groups') return;
    const measured = frame.groups.find((g) => g.group_id === groupId)?.total_lag;
    if (measured !== undefined && measured !== null) setLag(measured);
  });
  return <>{lag.toLocaleString('en-US')}</>;
}
