import type { BrokerApi, BrokerChange, TopicDescription } from '../broker/broker-api.js';
import { BrokerEvents } from '../broker/broker-events.js';
import type { BrokerLogger } from '../broker/broker-options.js';

/** What the merger asks the cluster when it must tell a repeat from news. */
export interface ClusterEventView {
  /** The topic's config overrides as one comparable string; undefined when they cannot be read. */
  configSignature(topic: string): string | undefined;
  /** Brokers' registrations, states and the controller as one comparable string. */
  brokersSignature(): string;
}

/**
 * The change events of every broker a LocalCluster hosts, as one stream without repeats:
 * each broker reports what it sees, so a topic created through one broker is announced
 * again by each other broker that learns of it, and a follower's log moves too.
 *
 * Rules, by kind:
 * - topic-created / topic-deleted / partitions-created: state-based, from the set of
 *   topics (and partition counts) already announced; a repeat changes nothing and is dropped.
 * - configs-changed: passed on when the topic's overrides differ from the last ones announced.
 * - records-appended / log-start-moved: only from the broker that leads the partition
 *   (followers' copies trail the leader and would move a console's figures backwards).
 * - partition-changed: passed on when leader or ISR differ from the last announced.
 * - brokers-changed: passed on when the brokers' signature differs from the last announced.
 *
 * All calls come from the one event loop (brokers emit synchronously).
 */
export class ClusterEventMerger {
  private readonly events: BrokerEvents;
  /** Topic -> partition count announced (-1 when created but not counted yet). */
  private readonly topics = new Map<string, number>();
  /** `topic\0partition` -> `leader|isr` announced. */
  private readonly partitionStates = new Map<string, string>();
  private readonly configs = new Map<string, string>();
  private brokers: string | undefined;

  constructor(
    logger: BrokerLogger,
    private readonly view: ClusterEventView,
  ) {
    this.events = new BrokerEvents(logger);
  }

  onChange(listener: (event: BrokerChange) => void): () => void {
    return this.events.onChange(listener);
  }

  /** Topics that exist when the cluster starts: their later announcements by other brokers are repeats. */
  seed(topics: readonly TopicDescription[]): void {
    for (const t of topics) this.topics.set(t.name, t.partitions.length);
    this.brokers = this.view.brokersSignature();
  }

  /** An event as `source` emitted it. */
  accept(source: EventSource, event: BrokerChange): void {
    if (this.isNews(source, event)) this.events.emit(event);
  }

  /** The cluster itself started or stopped a broker: announce it unless a broker already did. */
  brokersMaybeChanged(): void {
    this.accept(NO_SOURCE, { type: 'brokers-changed' });
  }

  private isNews(source: EventSource, event: BrokerChange): boolean {
    switch (event.type) {
      case 'topic-created':
        if (this.topics.has(event.topic)) return false;
        this.topics.set(event.topic, -1);
        return true;
      case 'topic-deleted':
        if (!this.topics.delete(event.topic)) return false;
        this.forget(event.topic);
        return true;
      case 'partitions-created': {
        if ((this.topics.get(event.topic) ?? -1) >= event.partitions) return false;
        this.topics.set(event.topic, event.partitions);
        return true;
      }
      case 'configs-changed': {
        const signature = this.view.configSignature(event.topic);
        if (signature === undefined) return true;
        if (this.configs.get(event.topic) === signature) return false;
        this.configs.set(event.topic, signature);
        return true;
      }
      case 'records-appended':
      case 'log-start-moved':
        return source.leads(event.topic, event.partition);
      case 'partition-changed': {
        const key = `${event.topic}\u0000${event.partition}`;
        const state = `${event.leader}|${event.isr.join(',')}`;
        if (this.partitionStates.get(key) === state) return false;
        this.partitionStates.set(key, state);
        return true;
      }
      case 'brokers-changed': {
        const signature = this.view.brokersSignature();
        if (signature === this.brokers) return false;
        this.brokers = signature;
        return true;
      }
      default:
        // A kind this merger does not know yet is passed on rather than lost.
        return passedOn(event);
    }
  }

  private forget(topic: string): void {
    this.configs.delete(topic);
    const prefix = `${topic}\u0000`;
    for (const key of this.partitionStates.keys()) if (key.startsWith(prefix)) this.partitionStates.delete(key);
  }
}

type EventSource = Pick<BrokerApi, 'leads'>;

/** The cluster itself as the source of an event; it leads nothing. */
const NO_SOURCE: EventSource = { leads: () => false };

function passedOn(_event: never): boolean {
  return true;
}
