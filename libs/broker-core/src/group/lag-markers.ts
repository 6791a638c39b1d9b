import type { BrokerApi, ConsumerGroupLags, PartitionLagInfo } from '../broker/broker-api.js';
import type { PartitionRange, PartitionRanges } from './lag.js';

/** A span [fromOffset, endOffset) of a partition known to hold no control record. */
interface MarkerFreeSpan {
  readonly fromOffset: bigint;
  readonly endOffset: bigint;
}

/**
 * Spans found free of markers, by range object: a lag summary shares one range table
 * (topicRanges) across its groups, so within one pass a partition whose log has no
 * markers from some offset to its end is asked about once, not once per group.
 */
const markerFree = new WeakMap<PartitionRange, MarkerFreeSpan>();

/**
 * Lags less the control records (transaction markers) in [committed, end) of each
 * partition behind its end: no consumer ever receives a marker, so it is never lag.
 * Counts come from the partitions' leaders (countControlRecords); a count that cannot be
 * had (the leader moved, the partition went) leaves the lag as it was. A partition whose
 * span is known marker-free from an earlier group of the same pass is not asked again.
 */
export async function withoutMarkers(api: Pick<BrokerApi, 'countControlRecords'>, lags: ConsumerGroupLags, ranges: PartitionRanges): Promise<ConsumerGroupLags> {
  let counting: Promise<number>[] | undefined;
  let behind: number[] | undefined;
  lags.partitions.forEach((p, i) => {
    if (p.lag === null || p.lag <= 0n) return;
    const range = ranges(p.topic, p.partition);
    const free = range === undefined ? undefined : markerFree.get(range);
    if (free !== undefined && free.endOffset === p.logEndOffset && free.fromOffset <= p.committedOffset!) return;
    (behind ??= []).push(i);
    (counting ??= []).push(countMarkers(api, p, range));
  });
  if (counting === undefined || behind === undefined) return lags;
  const counts = await Promise.all(counting);
  if (counts.every((n) => n === 0)) return lags;
  const partitions = [...lags.partitions];
  behind.forEach((index, i) => {
    const p = partitions[index]!;
    if (counts[i]! > 0) partitions[index] = { ...p, lag: p.lag! - BigInt(counts[i]!) };
  });
  let totalLag = 0n;
  let maxLag: PartitionLagInfo | null = null;
  for (const p of partitions) {
    if (p.lag === null) continue;
    if (p.lag > 0n) totalLag += p.lag;
    if (maxLag === null || p.lag > maxLag.lag!) maxLag = p;
  }
  return { ...lags, partitions, totalLag, maxLag };
}

async function countMarkers(api: Pick<BrokerApi, 'countControlRecords'>, p: PartitionLagInfo, range: PartitionRange | undefined): Promise<number> {
  const fromOffset = p.committedOffset!;
  const endOffset = p.logEndOffset;
  let count: number;
  try {
    count = await api.countControlRecords(p.topic, p.partition, fromOffset, endOffset);
  } catch {
    return 0;
  }
  if (count === 0 && range !== undefined) {
    const known = markerFree.get(range);
    if (known === undefined || known.endOffset !== endOffset || fromOffset < known.fromOffset) markerFree.set(range, { fromOffset, endOffset });
  }
  return count;
}
