import type { BrokerPurgatoryMetrics, TimerMetrics } from '@weir/broker-core';
import type { PurgatoryStats, TimingWheelStats } from '@weir/contracts';

/** The broker's purgatory metrics in the REST and live shape (shared by both). */
export function toPurgatoryStats(p: BrokerPurgatoryMetrics): PurgatoryStats {
  return {
    broker_id: p.brokerId, name: p.name, watched: p.watched, watch_keys: p.watchKeys, delayed: p.delayed,
    completed_total: p.completed, expired_total: p.expired,
  };
}

export function toTimingWheelStats(t: TimerMetrics): TimingWheelStats {
  return {
    tick_ms: t.tickMs,
    wheel_size: t.wheelSize,
    pending: t.pending,
    scheduled_total: t.scheduled,
    cancelled_total: t.cancelled,
    expired_total: t.expired,
    levels: t.levels.map((l) => ({
      level: l.level, tick_ms: l.tickMs, interval_ms: l.intervalMs, buckets: l.buckets, occupied_buckets: l.occupiedBuckets, pending: l.pending,
    })),
  };
}
