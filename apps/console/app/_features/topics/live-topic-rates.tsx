'use client';

import { createContext, type ReactNode, useContext, useMemo, useState } from 'react';
import { formatRate } from '../../_lib/format';
import { useLiveChannel } from '../live/live-provider';

const RatesContext = createContext<ReadonlyMap<string, number> | null>(null);

/**
 * Msgs/s in for the topics of one page: one listener on the `topics` channel (the page's
 * one subscription), each sample reduced once to the page's topics, not searched per row.
 * Until the first sample, rows show the gateway's figure from the render.
 */
export function LiveTopicRates({ topics, children }: { topics: readonly string[]; children: ReactNode }) {
  const [rates, setRates] = useState<ReadonlyMap<string, number> | null>(null);
  const key = topics.join('\n');
  const wanted = useMemo(() => new Set(key.split('\n')), [key]);
  useLiveChannel('topics', (frame) => {
    if (frame.type !== 'throughput') return;
    const next = new Map<string, number>();
    for (const t of frame.topics) if (wanted.has(t.topic)) next.set(t.topic, t.records_in_per_sec);
    setRates(next);
  });
  return <RatesContext.Provider value={rates}>{children}</RatesContext.Provider>;
}

export function TopicRateCell({ topic, initial }: { topic: string; initial: number }) {
  const rates = useContext(RatesContext);
  return <>{formatRate(rates === null ? initial : (rates.get(topic) ?? 0))}</>;
}
