'use client';

import type { LiveServerFrame, ReadRecord } from '@weir/contracts';
import { useCallback, useState } from 'react';
import { useLiveChannel } from '../live/live-provider';

/** Records kept by a tail (newest first); older ones drop off, so a busy partition cannot grow the page without bound. */
export const TAIL_CAP = 500;

export interface RecordsTail {
  /** Newest first. */
  records: ReadRecord[];
  /** Arrived while paused, newest first; shown on resume. */
  held: ReadRecord[];
  /** The offset the tail started at, once the gateway said. */
  from: number | null;
  onFrame: (frame: LiveServerFrame) => void;
  resume: () => void;
}

const prepend = (older: ReadRecord[], newer: ReadRecord[]) => [...newer, ...older].slice(0, TAIL_CAP);

/** The state of a live tail of one partition; frames reach `onFrame` from a `TailSubscription`. */
export function useRecordsTail(channel: string, paused: boolean): RecordsTail {
  const [records, setRecords] = useState<ReadRecord[]>([]);
  const [held, setHeld] = useState<ReadRecord[]>([]);
  const [from, setFrom] = useState<number | null>(null);
  const onFrame = useCallback(
    (frame: LiveServerFrame) => {
      if (frame.type !== 'records' || frame.channel !== channel) return;
      if (frame.records.length === 0) return setFrom((f) => f ?? frame.next_offset);
      const newest = [...frame.records].reverse();
      if (paused) setHeld((h) => prepend(h, newest));
      else setRecords((r) => prepend(r, newest));
    },
    [channel, paused],
  );
  const resume = useCallback(() => {
    setRecords((r) => prepend(r, held));
    setHeld([]);
  }, [held]);
  return { records, held, from, onFrame, resume };
}

/** Mounted while the tail is on: one subscription to the partition's records channel. */
export function TailSubscription({ channel, onFrame }: { channel: `records:${string}:${number}`; onFrame: (frame: LiveServerFrame) => void }) {
  useLiveChannel(channel, onFrame);
  return null;
}
