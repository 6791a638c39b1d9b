import { z } from 'zod';
import { resourceSchema } from './resource.js';

/**
 * Weir's view of the requests the brokers hold back (Kafka's purgatories: produce
 * waiting for acks=all, fetch waiting for fetch.min.bytes, group join/sync deadlines and
 * member sessions) and of the hierarchical timing wheel their timeouts wait on.
 */

export const purgatoryStatsSchema = z.object({
  broker_id: z.number().int(),
  /** Kafka's purgatory names: Produce, Fetch, Rebalance, Heartbeat. */
  name: z.string(),
  /** Watch registrations held (an operation watching three keys counts three): Kafka's PurgatorySize. */
  watched: z.number().int(),
  watch_keys: z.number().int(),
  /** Operations waiting to complete or time out: Kafka's NumDelayedOperations. */
  delayed: z.number().int(),
  /** Completed by their condition since the broker started. */
  completed_total: z.number().int(),
  /** Timed out since the broker started. */
  expired_total: z.number().int(),
});
export type PurgatoryStats = z.infer<typeof purgatoryStatsSchema>;

export const timingWheelLevelSchema = z.object({
  level: z.number().int(),
  tick_ms: z.number().int(),
  /** How far ahead the level reaches: tick_ms x buckets. */
  interval_ms: z.number().int(),
  buckets: z.number().int(),
  occupied_buckets: z.number().int(),
  /** Tasks in the level's buckets. */
  pending: z.number().int(),
});
export type TimingWheelLevel = z.infer<typeof timingWheelLevelSchema>;

export const timingWheelStatsSchema = z.object({
  tick_ms: z.number().int(),
  wheel_size: z.number().int(),
  /** Tasks waiting to run, wheel levels and those already due together. */
  pending: z.number().int(),
  scheduled_total: z.number().int(),
  cancelled_total: z.number().int(),
  /** Tasks that ran (their time came) since start. */
  expired_total: z.number().int(),
  levels: z.array(timingWheelLevelSchema),
});
export type TimingWheelStats = z.infer<typeof timingWheelStatsSchema>;

export const delayedOperationsDataSchema = resourceSchema('WeirDelayedOperations', {
  cluster_id: z.string(),
  purgatories: z.array(purgatoryStatsSchema),
  timing_wheel: timingWheelStatsSchema,
});
export type DelayedOperationsData = z.infer<typeof delayedOperationsDataSchema>;

/** A purgatory in a live sample: its stats and the rates since the previous sample. */
export const livePurgatorySchema = purgatoryStatsSchema.extend({
  completions_per_sec: z.number(),
  expirations_per_sec: z.number(),
});
export type LivePurgatory = z.infer<typeof livePurgatorySchema>;
