'use client';

import { useState } from 'react';
import { formatRate } from '../../_lib/format';
import { useLiveChannel } from './live-provider';

/** Records in per second for one topic, from the `topics` channel's throughput samples. */
export function TopicRate({ topic }: { topic: string }) {
  const [rate, setRate] = useState<number | null>(null);
  useLiveChannel('topics', (frame) => {
    if (frame.type !== 'throughput') return;
    setRate(frame.topics.find((t) => t.topic === topic)?.records_in_per_sec ?? 0);
  });
  return <>{rate === null ? '—' : formatRate(rate)}</>;
}
