import type { Partition } from '../broker/partition.js';
import type { BrokerLogger } from '../broker/broker-options.js';
import { KafkaPaths, PartitionStateZNode, type PartitionState } from '../registry/kafka-znodes.js';
import { isRegistryError } from '../registry/registry-error.js';
import type { Registry } from '../registry/registry.js';
import type { Time } from '../time.js';

export interface IsrUpdaterContext {
  readonly registry: Registry;
  readonly time: Time;
  readonly logger: BrokerLogger;
  /** Told after a write of ours landed and the partition took the new state. */
  readonly onIsrChanged: (partition: Partition) => void;
  /** True while the broker must assume its registry session expired: a leader it may no longer be changes no ISR. */
  readonly fenced?: () => boolean;
}

/**
 * The leader's own ISR changes (Kafka's ZooKeeper-era Partition.expandIsr / shrinkIsr):
 * a compare-and-set of the partition's state znode at the version the leader last read,
 * keeping the leader, leader epoch and controller epoch as they are. A controller that
 * changed the state meanwhile (new leader, new epoch) made that version stale, so a
 * deposed leader's write fails with BADVERSION and changes nothing; the newer state
 * reaches the broker through its watch.
 *
 * One write per partition at a time. While an expansion is in flight the follower
 * already counts for the HW (Partition.pendingIsrAddition), so the HW never passes a
 * replica the ISR is about to contain.
 */
export class IsrUpdater {
  constructor(private readonly ctx: IsrUpdaterContext) {}

  expand(partition: Partition, followerId: number): void {
    if (partition.isrWriteInFlight || partition.isr.includes(followerId)) return;
    partition.pendingIsrAddition = followerId;
    this.write(partition, [...partition.isr, followerId], `expanding the ISR of ${partition.key} with ${followerId}`);
  }

  shrink(partition: Partition, outOfSync: readonly number[]): void {
    if (partition.isrWriteInFlight || outOfSync.length === 0) return;
    const isr = partition.isr.filter((id) => !outOfSync.includes(id));
    this.ctx.logger.info(`shrinking the ISR of ${partition.key} from [${partition.isr.join(',')}] to [${isr.join(',')}]`);
    this.write(partition, isr, `shrinking the ISR of ${partition.key}`);
  }

  private write(partition: Partition, isr: readonly number[], what: string): void {
    const { registry, time, logger } = this.ctx;
    if (this.ctx.fenced?.() === true) {
      partition.pendingIsrAddition = undefined;
      return;
    }
    const state: PartitionState = { ...partition.state, isr };
    const version = partition.zkVersion;
    partition.isrWriteInFlight = true;
    registry.setData(KafkaPaths.partitionState(partition.topic, partition.partition), PartitionStateZNode.encode(state), version).then(
      (stat) => {
        partition.isrWriteInFlight = false;
        partition.applyState(state, stat.version, time.milliseconds());
        this.ctx.onIsrChanged(partition);
      },
      (err: unknown) => {
        partition.isrWriteInFlight = false;
        partition.pendingIsrAddition = undefined;
        if (isRegistryError(err, 'BADVERSION') || isRegistryError(err, 'NONODE')) {
          logger.info(`${what}: the state changed under us (version ${version}); the newer state wins`);
          return;
        }
        logger.error(`${what} failed`, err);
      },
    );
  }
}
