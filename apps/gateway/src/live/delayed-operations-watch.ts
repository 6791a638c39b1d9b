import type { BrokerApi, Time } from '@weir/broker-core';
import type { LiveChannel, LivePurgatory, LiveServerFrame } from '@weir/contracts';
import { toPurgatoryStats, toTimingWheelStats } from '../rest/v3/delayed-operations/delayed-operations.mapper.js';
import type { SampledChannelSource } from './sampled-channel.js';

type DelayedOperationsFrame = Extract<LiveServerFrame, { type: 'delayed-operations' }>;

/** Totals of the previous sample, from which the next one's rates are computed. */
interface Totals {
  readonly atMs: number;
  /** `<broker id>/<purgatory name>` -> completed and expired totals. */
  readonly purgatories: ReadonlyMap<string, { completed: number; expired: number }>;
  readonly timerExpired: number;
}

/**
 * The `delayed-operations` channel's source: once per sample while anyone watches, one
 * `delayedOperations()` read (counters the brokers keep anyway) published to every
 * subscriber, with completions/s and expirations/s per purgatory computed here from the
 * previous sample's totals, so every viewer sees the same rates and none computes them.
 * A purgatory seen for the first time (a broker just started) gets rate 0, and a total
 * that went down (a restarted broker) counts from zero rather than going negative.
 */
export class DelayedOperationsWatch implements SampledChannelSource {
  private previous: Totals | undefined;
  private last: DelayedOperationsFrame | undefined;

  constructor(
    private readonly broker: BrokerApi,
    private readonly time: Time,
  ) {}

  serves(channel: LiveChannel): boolean {
    return channel === 'delayed-operations';
  }

  /** The last published sample (its rates are current), or a first read with rates 0. */
  snapshot(_channel: LiveChannel, send: (frame: LiveServerFrame) => void): void {
    send(this.last ?? this.read());
  }

  sample(_channels: ReadonlySet<LiveChannel>, publish: (channel: LiveChannel, frame: LiveServerFrame) => void): void {
    const frame = this.read();
    this.last = frame;
    publish('delayed-operations', frame);
  }

  release(): void {
    this.previous = undefined;
    this.last = undefined;
  }

  /** Never fails: with every broker of this gateway stopped there are no purgatories, and the timer is still there. */
  private read(): DelayedOperationsFrame {
    const snapshot = this.broker.delayedOperations();
    const atMs = this.time.hiResMilliseconds();
    const previous = this.previous;
    const seconds = previous === undefined ? 0 : (atMs - previous.atMs) / 1000;
    const rate = (now: number, before: number | undefined): number => (before === undefined || seconds <= 0 ? 0 : Math.max(0, now - before) / seconds);
    const totals = new Map<string, { completed: number; expired: number }>();
    const purgatories: LivePurgatory[] = snapshot.purgatories.map((p) => {
      const key = `${p.brokerId}/${p.name}`;
      const before = previous?.purgatories.get(key);
      totals.set(key, { completed: p.completed, expired: p.expired });
      return { ...toPurgatoryStats(p), completions_per_sec: rate(p.completed, before?.completed), expirations_per_sec: rate(p.expired, before?.expired) };
    });
    this.previous = { atMs, purgatories: totals, timerExpired: snapshot.timer.expired };
    return {
      type: 'delayed-operations',
      channel: 'delayed-operations',
      at: this.time.milliseconds(),
      interval_ms: Math.round(seconds * 1000),
      purgatories,
      timing_wheel: toTimingWheelStats(snapshot.timer),
      timer_expirations_per_sec: rate(snapshot.timer.expired, previous?.timerExpired),
    };
  }
}
