'use client';

import type { LiveChannel, LiveServerFrame } from '@weir/contracts';
import { createContext, useContext, useEffect, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { usePreferences } from '../settings/preferences';
import { LiveConnection, type LiveStatus, type SocketLike } from './live-connection';

const LiveContext = createContext<LiveConnection | null>(null);

/**
 * The browser's `/live` socket goes to the console's own origin at `/gateway/live`,
 * which the console's proxy forwards (upgrade included) to WEIR_GATEWAY_URL. One origin,
 * no CORS, and the gateway address is read at run time.
 */
function liveUrl(): string {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${window.location.host}/gateway/live`;
}

/** No socket while live updates are off in the settings; turning them on opens one at once. */
export function LiveProvider({ children }: { children: ReactNode }) {
  const [connection, setConnection] = useState<LiveConnection | null>(null);
  const { live: enabled } = usePreferences();
  useEffect(() => {
    if (!enabled) return setConnection(null);
    const live = new LiveConnection(liveUrl(), (url) => new WebSocket(url) as unknown as SocketLike);
    setConnection(live);
    return () => live.close();
  }, [enabled]);
  return <LiveContext.Provider value={connection}>{children}</LiveContext.Provider>;
}

/** Calls `onFrame` for every frame of `channel` while the component is mounted. */
export function useLiveChannel(channel: LiveChannel, onFrame: (frame: LiveServerFrame) => void): void {
  const live = useContext(LiveContext);
  const handler = useRef(onFrame);
  useEffect(() => {
    handler.current = onFrame;
  });
  useEffect(() => {
    if (live === null) return undefined;
    return live.subscribe(channel, (frame) => handler.current(frame));
  }, [live, channel]);
}

const noSubscribe = () => () => undefined;

/** 'closed' until a socket is open, so callers poll instead. */
export function useLiveStatus(): LiveStatus {
  const live = useContext(LiveContext);
  return useSyncExternalStore(
    live === null ? noSubscribe : (onChange) => live.onStatus(onChange),
    () => live?.status ?? 'closed',
    () => 'closed',
  );
}
