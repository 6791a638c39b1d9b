import type { BrokerApi } from '../broker/broker-api.js';
import type { BrokerLogger } from '../broker/broker-options.js';
import { PeriodicTask } from '../broker/periodic-task.js';
import type { Time } from '../time.js';
import type { Scheduler } from '../timer/scheduler.js';
import { consumerGroupLags, topicRanges, type LagApi } from './lag.js';

/** One sample of a group's lag. */
export interface LagSample {
  readonly timestampMs: number;
  readonly totalLag: bigint;
  readonly maxLag: bigint;
}

export interface LagHistoryOptions {
  /** Lags are measured with each group's default isolation (read_committed for transactional groups). */
  readonly api: Pick<BrokerApi, 'listConsumerGroups'> & LagApi;
  readonly scheduler: Scheduler;
  readonly time: Time;
  readonly logger: BrokerLogger;
  /** Between samples; 5 s by default. */
  readonly intervalMs?: number;
  /** Samples kept per group (a ring); 180 by default (15 minutes at 5 s). */
  readonly samplesPerGroup?: number;
  /** Groups tracked at most; groups beyond it are not sampled. 10,000 by default. */
  readonly maxGroups?: number;
}

/**
 * Every group's total and max lag, sampled every `intervalMs` on the shared timer and kept
 * in memory for the console's charts. Bounded: a ring of `samplesPerGroup` per group, at
 * most `maxGroups` groups, and a group that disappears (deleted, or no longer coordinated
 * here) is forgotten at the next sample. One pass describes each topic once for all groups.
 * Not persisted: a restart starts the charts afresh. Callers: the gateway (one per process).
 */
export class LagHistory {
  private readonly samples = new Map<string, LagSample[]>();
  private readonly task: PeriodicTask;
  private readonly samplesPerGroup: number;
  private readonly maxGroups: number;

  constructor(private readonly options: LagHistoryOptions) {
    this.samplesPerGroup = options.samplesPerGroup ?? 180;
    this.maxGroups = options.maxGroups ?? 10_000;
    this.task = new PeriodicTask('lag sampling', options.scheduler, options.intervalMs ?? 5_000, () => this.sampleNow(), options.logger);
  }

  start(): this {
    this.task.start();
    return this;
  }

  /** The group's samples, oldest first (empty for a group not sampled yet). */
  history(groupId: string): readonly LagSample[] {
    return this.samples.get(groupId) ?? [];
  }

  /** One sampling pass now (the task's work; tests call it directly). */
  async sampleNow(): Promise<void> {
    const { api, time } = this.options;
    const groups = (await api.listConsumerGroups()).slice(0, this.maxGroups);
    const ranges = topicRanges(api);
    const timestampMs = time.milliseconds();
    const present = new Set<string>();
    for (const group of groups) {
      present.add(group.groupId);
      let lags;
      try {
        lags = await consumerGroupLags(api, group.groupId, ranges);
      } catch {
        continue; // moved or deleted between the listing and now: the next pass sees it
      }
      let ring = this.samples.get(group.groupId);
      if (ring === undefined) this.samples.set(group.groupId, (ring = []));
      ring.push({ timestampMs, totalLag: lags.totalLag, maxLag: lags.maxLag?.lag ?? 0n });
      if (ring.length > this.samplesPerGroup) ring.splice(0, ring.length - this.samplesPerGroup);
    }
    for (const groupId of this.samples.keys()) if (!present.has(groupId)) this.samples.delete(groupId);
  }

  async stop(): Promise<void> {
    await this.task.stop();
  }
}
