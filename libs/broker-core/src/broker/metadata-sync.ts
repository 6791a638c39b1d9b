import { KafkaPaths } from '../registry/kafka-znodes.js';
import type { Registry } from '../registry/registry.js';
import type { WatchedEvent } from '../registry/types.js';
import type { BrokerLogger } from './broker-options.js';
import type { Topic } from './topic.js';
import type { PartitionChange, TopicTable } from './topic-table.js';
import { isMarkedForDeletion, readTopic } from './topic-znodes.js';

export interface MetadataSyncContext {
  readonly registry: Registry;
  readonly table: TopicTable;
  readonly logger: BrokerLogger;
  readonly nowMs: () => number;
  /** Partitions whose local role or state moved (see ReplicaRoles.apply). */
  readonly onChanges: (changes: readonly PartitionChange[]) => void;
  /** A topic left the table (deleted, or being deleted): its logs are the caller's to close and remove. */
  readonly onTopicGone: (topic: Topic) => void;
  /** Broker registrations changed (the set of live brokers, or one began a controlled shutdown). */
  readonly onBrokersChanged: () => void;
}

/**
 * Keeps this broker's topic table in line with the registry through watches: Weir's
 * equivalent of Kafka's LeaderAndIsr / UpdateMetadata / StopReplica requests (ADR 007).
 * Every broker reads the same znodes the controller writes (assignment, partition state,
 * config), so no separate metadata channel is needed and a broker that missed a change
 * while down simply reads the current state at start.
 *
 * Watches are one-shot and left again on every read: /brokers/topics (children: topics
 * created and deleted), each topic's assignment, partition states and config, and
 * /brokers/ids (children). A burst of events for one topic is folded into one re-read,
 * run in a microtask after the registry finished applying the change.
 */
export class MetadataSync {
  private readonly dirty = new Set<string>();
  private topicsDirty = false;
  private flushQueued = false;
  private closed = false;
  private readonly topicWatcher = (event: WatchedEvent): void => this.onTopicEvent(event);
  private readonly topicsWatcher = (): void => this.markTopicsDirty();
  private readonly brokersWatcher = (): void => this.onBrokersEvent();

  constructor(private readonly ctx: MetadataSyncContext) {}

  /** Reads every topic (opening local logs) and leaves the watches. */
  start(): void {
    this.ctx.registry.getChildren(KafkaPaths.brokerIds, this.brokersWatcher);
    for (const name of this.watchTopicList()) this.refresh(name);
  }

  /** Re-reads one topic now (after this broker changed it) and acts on what moved. */
  refresh(name: string): Topic | undefined {
    const { registry, table } = this.ctx;
    if (this.closed) return table.get(name);
    const record = isMarkedForDeletion(registry, name) ? undefined : readTopic(registry, name, this.topicWatcher);
    if (record === undefined) {
      const gone = table.remove(name);
      if (gone !== undefined) this.ctx.onTopicGone(gone);
      return undefined;
    }
    const { topic, changes } = table.apply(record, this.ctx.nowMs());
    if (changes.length > 0) this.ctx.onChanges(changes);
    return topic;
  }

  private watchTopicList(): string[] {
    const { registry } = this.ctx;
    registry.getChildren(KafkaPaths.deleteTopics, this.topicsWatcher);
    return registry.exists(KafkaPaths.topics, this.topicsWatcher) === null ? [] : registry.getChildren(KafkaPaths.topics, this.topicsWatcher);
  }

  private onTopicEvent(event: WatchedEvent): void {
    const name = topicOfPath(event.path);
    if (name !== undefined) this.dirty.add(name);
    this.queueFlush();
  }

  private markTopicsDirty(): void {
    this.topicsDirty = true;
    this.queueFlush();
  }

  private onBrokersEvent(): void {
    if (this.closed) return;
    this.ctx.registry.getChildren(KafkaPaths.brokerIds, this.brokersWatcher);
    this.ctx.onBrokersChanged();
  }

  private queueFlush(): void {
    if (this.flushQueued || this.closed) return;
    this.flushQueued = true;
    queueMicrotask(() => {
      this.flushQueued = false;
      try {
        this.flush();
      } catch (err) {
        this.ctx.logger.error('applying registry metadata changes failed', err);
      }
    });
  }

  private flush(): void {
    if (this.closed) return;
    if (this.topicsDirty) {
      this.topicsDirty = false;
      const listed = new Set(this.watchTopicList());
      for (const name of listed) if (this.ctx.table.get(name) === undefined) this.dirty.add(name);
      for (const name of this.ctx.table.names()) if (!listed.has(name)) this.dirty.add(name);
      for (const name of this.ctx.registry.getChildren(KafkaPaths.deleteTopics)) this.dirty.add(name);
    }
    const names = [...this.dirty];
    this.dirty.clear();
    for (const name of names) this.refresh(name);
  }

  close(): void {
    this.closed = true;
  }
}

/** The topic a watched path belongs to: /brokers/topics/<t>[/partitions/<p>/state] or /config/topics/<t>. */
function topicOfPath(path: string): string | undefined {
  for (const prefix of [`${KafkaPaths.topics}/`, `${KafkaPaths.topicConfigs}/`]) {
    if (path.startsWith(prefix)) {
      const rest = path.slice(prefix.length);
      const slash = rest.indexOf('/');
      return slash < 0 ? rest : rest.slice(0, slash);
    }
  }
  return undefined;
}
