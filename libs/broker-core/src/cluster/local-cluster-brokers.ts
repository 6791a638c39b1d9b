import type { Broker } from '../broker/broker.js';
import { isKafkaError, KafkaError } from '../errors.js';
import { LocalClusterError, type HostedBroker } from './local-cluster-host.js';
import { notLeaderError } from './local-cluster-routing.js';

/**
 * Which of a LocalCluster's brokers serves what: the running ones, the admin broker (the
 * controller when hosted here, else the first running broker), and the local leader of
 * a partition. Keeps the partition counts produce needs to place records, dropped by the
 * cluster on any topic event. All on the one event loop.
 */
export class HostedBrokers {
  private readonly byId: ReadonlyMap<number, HostedBroker>;
  private readonly partitionCounts = new Map<string, number>();

  constructor(readonly order: readonly HostedBroker[]) {
    this.byId = new Map(order.map((h) => [h.brokerId, h]));
  }

  /** One broker hosted: every call passes straight through to it. */
  get single(): boolean { return this.order.length === 1; }

  get(brokerId: number): HostedBroker | undefined {
    return this.byId.get(brokerId);
  }

  requireHost(brokerId: number): HostedBroker {
    const host = this.byId.get(brokerId);
    if (host === undefined) throw new LocalClusterError(brokerId, 'not-hosted', `broker ${brokerId} is not hosted by this process`);
    return host;
  }

  running(): Broker[] {
    const out: Broker[] = [];
    for (const h of this.order) if (h.broker !== undefined) out.push(h.broker);
    return out;
  }

  runningById(): Map<number, Broker> {
    return new Map(this.running().map((b) => [b.brokerId, b]));
  }

  firstRunning(): Broker | undefined {
    for (const h of this.order) if (h.broker !== undefined) return h.broker;
    return undefined;
  }

  /** The controller when hosted and running, else the first running broker. */
  admin(): Broker {
    const first = this.firstRunning();
    if (first === undefined) throw new KafkaError('BROKER_NOT_AVAILABLE', 'no broker of this process is running');
    if (this.single) return first;
    return this.byId.get(first.describeCluster().controllerId)?.broker ?? first;
  }

  only(): Broker {
    const broker = this.order[0]!.broker;
    if (broker === undefined) throw new KafkaError('BROKER_NOT_AVAILABLE', `broker ${this.order[0]!.brokerId} is not running`);
    return broker;
  }

  leaderOf(topic: string, partition: number): Broker | undefined {
    for (const h of this.order) if (h.broker?.leads(topic, partition)) return h.broker;
    return undefined;
  }

  /** The local leader; for a partition nobody knows, the admin broker (its error); else undefined. */
  routeData(topic: string, partition: number): Broker | undefined {
    const leader = this.leaderOf(topic, partition);
    if (leader !== undefined) return leader;
    const count = this.partitionCount(topic);
    return count === undefined || partition < 0 || partition >= count ? this.admin() : undefined;
  }

  /** The broker for a single-partition call; NOT_LEADER_OR_FOLLOWER when no local broker leads it. */
  dataBroker(topic: string, partition: number): Broker {
    if (this.single) return this.only();
    const broker = this.routeData(topic, partition);
    if (broker === undefined) throw notLeaderError(topic, partition);
    return broker;
  }

  partitionCount(topic: string): number | undefined {
    const known = this.partitionCounts.get(topic);
    if (known !== undefined) return known;
    try {
      const count = this.admin().describeTopic(topic).partitions.length;
      this.partitionCounts.set(topic, count);
      return count;
    } catch (err) {
      if (isKafkaError(err, 'UNKNOWN_TOPIC_OR_PARTITION')) return undefined;
      throw err;
    }
  }

  forgetPartitionCount(topic: string): void {
    this.partitionCounts.delete(topic);
  }
}
