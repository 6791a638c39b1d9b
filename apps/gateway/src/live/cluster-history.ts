import { type BrokerApi, type Cancellable, isKafkaError, type Scheduler, type Time } from '@weir/broker-core';
import type { ClusterHistorySample, LiveServerFrame } from '@weir/contracts';
import { ThroughputSampler } from './throughput-sampler.js';

/** Between samples: the trend's resolution. Live samples (every second) fill in on the page. */
export const CLUSTER_HISTORY_INTERVAL_MS = 5_000;
/** Ten minutes at 5 s. */
export const CLUSTER_HISTORY_SAMPLES = 120;

/**
 * The cluster's last ten minutes (a ring of CLUSTER_HISTORY_SAMPLES): health counts and
 * cluster-wide throughput every CLUSTER_HISTORY_INTERVAL_MS, so that the overview's trend
 * charts start filled when the page opens. It samples on the shared timer whether or not
 * anyone watches: one topic-counters read and one health count per 5 s, the cost of one
 * REST health call. Not persisted: a restart starts the trend afresh. A sample while no
 * broker of this process runs is skipped (the gap shows as a gap). Owned by LiveHub.
 */
export class ClusterHistory {
  private readonly ring: ClusterHistorySample[] = [];
  private readonly sampler = new ThroughputSampler();
  private task: Cancellable | undefined;
  private stopped = false;

  constructor(
    private readonly broker: BrokerApi,
    private readonly scheduler: Scheduler,
    private readonly time: Time,
    private readonly intervalMs = CLUSTER_HISTORY_INTERVAL_MS,
    private readonly capacity = CLUSTER_HISTORY_SAMPLES,
  ) {}

  start(): this {
    this.arm();
    return this;
  }

  stop(): void {
    this.stopped = true;
    this.task?.cancel();
    this.task = undefined;
  }

  /** The frame a new `cluster` subscriber gets: the samples kept, oldest first. */
  frame(): LiveServerFrame {
    return { type: 'cluster-history', channel: 'cluster', samples: [...this.ring] };
  }

  /** One sample now (the timer's work; tests call it directly). */
  sampleNow(): void {
    let throughput;
    let health;
    try {
      throughput = this.sampler.sample(this.broker.topicCounters(), this.time.hiResMilliseconds());
      health = this.broker.clusterHealth();
    } catch (err) {
      if (isKafkaError(err)) return; // no broker of this process running: a gap in the trend
      throw err;
    }
    if (throughput.intervalMs === 0) return; // the first read only sets the counters' baseline
    this.ring.push({
      at: this.time.milliseconds(),
      brokers_online: health.brokersOnline,
      under_replicated_partitions: health.underReplicated,
      under_min_isr_partitions: health.underMinIsr,
      offline_partitions: health.offline,
      ...throughput.total,
    });
    if (this.ring.length > this.capacity) this.ring.splice(0, this.ring.length - this.capacity);
  }

  private arm(): void {
    if (this.stopped) return;
    this.task = this.scheduler.schedule(this.intervalMs, () => {
      this.task = undefined;
      try {
        this.sampleNow();
      } finally {
        // Re-armed even after a failure: a trend that stops for good would be worse than a gap.
        this.arm();
      }
    });
  }
}
