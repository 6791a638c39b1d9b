import type { Time } from '../../time.js';
import type { LogConfig } from '../config/log-config.js';
import type { LogSegment } from '../segment/log-segment.js';

const MAX_RELATIVE_OFFSET = 0x7fffffff;

/**
 * Whether the active `segment` must roll before an append of `messagesBytes` bytes whose
 * largest timestamp is `maxTimestamp` and last offset `lastOffset`: when it would pass
 * segment.bytes, when segment.ms (minus this segment's jitter) has passed since its first
 * batch's timestamp, when an index is full, or when a relative offset would not fit 32
 * bits. An empty segment never rolls. For a compacted topic the time is the smaller of
 * segment.ms and max.compaction.lag.ms, as in Kafka: the active segment is never
 * cleaned, so it must roll for the lag bound to hold.
 */
export function shouldRoll(segment: LogSegment, config: LogConfig, time: Time, messagesBytes: number, maxTimestamp: number, lastOffset: number): boolean {
  if (segment.sizeInBytes === 0) return false;
  const { segmentBytes } = config;
  const segmentMs = config.maxCompactionLagMs < config.segmentMs && config.cleanupPolicy.includes('compact') ? config.maxCompactionLagMs : config.segmentMs;
  // Only a segment restored without its rolling timestamp (an older one after recovery,
  // never the active one in practice) is timed by the clock, read here if at all.
  const waitedMs = segment.rollingBasedTimestamp !== undefined ? maxTimestamp - segment.rollingBasedTimestamp : time.milliseconds() - segment.createdMs;
  return (
    segment.sizeInBytes > segmentBytes - messagesBytes ||
    waitedMs > segmentMs - rollJitterMs(segment, config.segmentJitterMs) ||
    segment.indexesFull() ||
    lastOffset - segment.baseOffset > MAX_RELATIVE_OFFSET
  );
}

/** Deterministic per-segment jitter in [0, segment.jitter.ms), so reruns roll alike. */
function rollJitterMs(segment: LogSegment, jitterMs: number): number {
  if (jitterMs <= 0) return 0;
  // In bigint: the product passes 2^53. Only with segment.jitter.ms set.
  return Number((BigInt(segment.baseOffset) * 2654435761n) % BigInt(Math.min(jitterMs, Number.MAX_SAFE_INTEGER)));
}
