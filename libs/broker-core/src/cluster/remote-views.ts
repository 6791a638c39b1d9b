import type { BrokerStatus, PartitionDescription, TopicDescription } from '../broker/broker-api.js';
import type { BrokerLogger } from '../broker/broker-options.js';
import { BackgroundValues } from './background-values.js';
import type { PartitionOffsets, RemotePartitions } from './remote-partitions.js';

/**
 * What the synchronous views of the REST door (topic descriptions, broker statuses) show
 * of brokers in other processes: their partitions' log start and HW and their log dir
 * sizes, as last asked over the Kafka protocol (see BackgroundValues).
 */
export class RemoteViews {
  private readonly offsets: BackgroundValues<PartitionOffsets>;
  private readonly logDirSizes: BackgroundValues<number>;

  constructor(private readonly remote: RemotePartitions, nowMs: () => number, logger: BrokerLogger) {
    this.offsets = new BackgroundValues(nowMs, logger, 'offsets from the leader');
    this.logDirSizes = new BackgroundValues(nowMs, logger, 'log dir size of broker');
  }

  /** `topic` with the remote leaders' log start and HW on the partitions `isRemote` picks. */
  withOffsets(topic: TopicDescription, isRemote: (p: PartitionDescription) => boolean): TopicDescription {
    let partitions: PartitionDescription[] | undefined;
    for (let i = 0; i < topic.partitions.length; i++) {
      const p = topic.partitions[i]!;
      if (!isRemote(p)) continue;
      const known = this.offsets.get(`${topic.name}-${p.partition}`, () => this.remote.partitionOffsets(topic.name, p.partition), `${p.leader}@${p.leaderEpoch}`);
      if (known === undefined) continue;
      partitions ??= [...topic.partitions];
      partitions[i] = { ...p, logStartOffset: known.logStartOffset, highWatermark: known.highWatermark, lastStableOffset: known.lastStableOffset };
    }
    return partitions === undefined ? topic : { ...topic, partitions };
  }

  /** Statuses with the log dir size of online brokers this process does not host, as they last reported it. */
  withLogDirSizes(statuses: readonly BrokerStatus[]): BrokerStatus[] {
    return statuses.map((s) => {
      if (s.status === 'offline' || s.logDirSizeBytes !== null) return s;
      const size = this.logDirSizes.get(String(s.brokerId), () => this.remote.logDirSize(s.brokerId));
      return size === undefined ? s : { ...s, logDirSizeBytes: size };
    });
  }
}
