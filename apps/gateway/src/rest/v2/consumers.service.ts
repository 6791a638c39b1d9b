import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { type BrokerApi, EARLIEST_TIMESTAMP, isKafkaError, LATEST_TIMESTAMP, type SystemTimer, SystemTime } from '@weir/broker-core';
import {
  assignmentsRequestSchema,
  createConsumerRequestSchema,
  type AssignmentsResponse,
  type CreateConsumerResponse,
  recordsQuerySchema,
  seekRequestSchema,
  seekToRequestSchema,
  type TopicPartition,
  type V2ConsumerRecord,
  type V2EmbeddedFormat,
} from '@weir/contracts';
import type { z } from 'zod';
import { BROKER } from '../../broker/broker.module.js';
import { TIMER } from '../../registry/registry.module.js';
import { CONSUMER_CONFIG, type ConsumerConfig } from './consumer-config.js';
import type { ConsumerInstance } from './consumer-instance.js';
import { ConsumerInstances } from './consumer-instances.js';
import { listOffsetOrThrow, pollRecords } from './consumer-poll.js';
import { RestError } from '../../errors/rest-error.js';
import { V2_ERRORS } from './v2-errors.js';
import { ConsumerSubscriptions } from './consumer-subscriptions.js';
import {
  commitOffsetsRequestSchema, committedOffsetsRequestSchema, GroupSettingsError, groupSettingsOf, splitGroupSettings, subscriptionRequestSchema,
} from './v2-group-settings.js';

/**
 * Response budget when the request names none. Confluent's default is its 64 MiB
 * `consumer.request.max.bytes`; a smaller default keeps one request from reading that
 * much from every assigned partition.
 */
const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;

/** The v2 consumer-instance operations behind the controller: validation, then the instance and the broker. */
@Injectable()
export class ConsumersService implements OnApplicationShutdown {
  readonly instances: ConsumerInstances;
  private readonly subscriptions: ConsumerSubscriptions;
  private readonly leaving = new Set<Promise<void>>();
  private readonly logger = new Logger('ConsumersService');

  constructor(
    @Inject(BROKER) private readonly broker: BrokerApi,
    @Inject(TIMER) timer: SystemTimer,
    @Inject(CONSUMER_CONFIG) config: ConsumerConfig,
  ) {
    this.subscriptions = new ConsumerSubscriptions(broker, timer, (m) => this.logger.warn(m));
    this.instances = new ConsumerInstances(timer, SystemTime.INSTANCE, config.instanceTimeoutMs, (instance) => this.leaveGroup(instance));
  }

  /** Closes the instances; subscribed ones leave their groups before the brokers stop. */
  async onApplicationShutdown(): Promise<void> {
    this.instances.close();
    await Promise.all([...this.leaving]);
  }

  create(group: string, body: unknown, baseUrl: string): CreateConsumerResponse {
    let split;
    let groupSettings;
    try {
      split = splitGroupSettings(body ?? {});
      groupSettings = groupSettingsOf(split.settings);
    } catch (err) {
      if (err instanceof GroupSettingsError) throw V2_ERRORS.invalidConfig(err.message);
      throw err;
    }
    const settings = parse(createConsumerRequestSchema, split.rest, V2_ERRORS.invalidConfig);
    const instance = this.instances.create(group, settings, groupSettings);
    return {
      instance_id: instance.name,
      base_uri: `${baseUrl}/v2/consumers/${encodeURIComponent(group)}/instances/${encodeURIComponent(instance.name)}`,
    };
  }

  delete(group: string, name: string): void {
    this.instances.delete(group, name);
  }

  async assign(group: string, name: string, body: unknown): Promise<void> {
    const { partitions } = parse(assignmentsRequestSchema, body, V2_ERRORS.invalidBody);
    for (const tp of partitions) this.checkPartition(tp);
    await this.instances.use(group, name, (instance) => {
      if (instance.member !== undefined) throw V2_ERRORS.mutuallyExclusive();
      instance.assign(partitions);
    });
  }

  /** POST .../subscription: the instance joins its group (answered once the coordinator has taken the join). */
  async subscribe(group: string, name: string, body: unknown, clientHost: string): Promise<void> {
    const request = parse(subscriptionRequestSchema, body, V2_ERRORS.invalidBody);
    const instance = this.instances.get(group, name);
    await this.subscriptions.subscribe(instance, 'topics' in request ? request.topics : undefined, 'topic_pattern' in request ? request.topic_pattern : undefined, clientHost);
  }

  subscription(group: string, name: string): { topics: string[] } {
    return { topics: [...(this.instances.get(group, name).member?.topics ?? [])] };
  }

  /** DELETE .../subscription: LeaveGroup; the instance keeps living, unassigned. */
  async unsubscribe(group: string, name: string): Promise<void> {
    await this.subscriptions.unsubscribe(this.instances.get(group, name));
  }

  /** POST .../offsets: the given offsets (each the last consumed, committed + 1), or with no body every position. */
  async commitOffsets(group: string, name: string, body: unknown): Promise<void> {
    const instance = this.instances.get(group, name);
    const offsets = body === undefined || body === null || (typeof body === 'object' && Object.keys(body).length === 0)
      ? this.subscriptions.currentPositions(instance)
      : parse(commitOffsetsRequestSchema, body, V2_ERRORS.invalidBody).offsets.map((o) => ({
        topic: o.topic, partition: o.partition, offset: BigInt(o.offset) + 1n, metadata: o.metadata ?? '',
      }));
    await this.subscriptions.commit(instance, offsets);
  }

  /** GET .../offsets: committed offsets of the partitions asked (Confluent's shape; partitions without a commit left out). */
  async committedOffsets(group: string, name: string, body: unknown): Promise<{ offsets: { topic: string; partition: number; offset: number; metadata: string }[] }> {
    const { partitions } = parse(committedOffsetsRequestSchema, body, V2_ERRORS.invalidBody);
    const committed = await this.subscriptions.committed(this.instances.get(group, name), partitions);
    return { offsets: committed.map((c) => ({ topic: c.topic, partition: c.partition, offset: Number(c.offset), metadata: c.metadata })) };
  }

  async assignments(group: string, name: string): Promise<AssignmentsResponse> {
    return { partitions: await this.instances.use(group, name, (instance) => instance.assignment()) };
  }

  async seek(group: string, name: string, body: unknown): Promise<void> {
    const { offsets } = parse(seekRequestSchema, body, V2_ERRORS.invalidBody);
    await this.instances.use(group, name, (instance) => {
      // All or nothing: every partition is checked before any position moves.
      const targets = offsets.map((o) => ({ position: this.assignedPosition(instance, o), offset: BigInt(o.offset) }));
      for (const { position, offset } of targets) position.offset = offset;
    });
  }

  async seekTo(group: string, name: string, body: unknown, where: 'beginning' | 'end'): Promise<void> {
    const { partitions } = parse(seekToRequestSchema, body, V2_ERRORS.invalidBody);
    const timestamp = where === 'beginning' ? EARLIEST_TIMESTAMP : LATEST_TIMESTAMP;
    await this.instances.use(group, name, async (instance) => {
      const positions = partitions.map((tp) => this.assignedPosition(instance, tp));
      const offsets = await Promise.all(partitions.map((tp) => this.withPartitionAsync(tp, () => listOffsetOrThrow(this.broker, tp.topic, tp.partition, timestamp))));
      positions.forEach((position, i) => (position.offset = offsets[i]!));
    });
  }

  /**
   * Records from the assigned partitions. `accepted` is the embedded format the Accept
   * header names, if it names one; it must be the instance's (406 40601 otherwise).
   */
  async records(group: string, name: string, query: unknown, accepted: string | undefined): Promise<{ format: V2EmbeddedFormat; records: V2ConsumerRecord[] }> {
    const q = parse(recordsQuerySchema, query, (why) => new RestError(400, `Invalid query: ${why}`));
    const instance = this.instances.get(group, name);
    if (accepted !== undefined && accepted !== instance.format) throw V2_ERRORS.formatMismatch();
    const records = await this.instances.use(group, name, async (current) => {
      if (current.member?.failure !== undefined) throw V2_ERRORS.illegalState(current.member.failure.message);
      if (current.member !== undefined) await this.subscriptions.positionsFromCommitted(current);
      const polled = await pollRecords(this.broker, current, {
        timeoutMs: q.timeout ?? current.requestTimeoutMs,
        maxBytes: q.max_bytes ?? DEFAULT_MAX_BYTES,
      });
      if (polled.length > 0) await this.subscriptions.autoCommit(current);
      return polled;
    });
    return { format: instance.format, records };
  }

  private leaveGroup(instance: ConsumerInstance): void {
    if (instance.member === undefined) return;
    const left = this.subscriptions.unsubscribe(instance).catch((err: unknown) => this.logger.warn(`leaving group ${instance.group} failed: ${String(err)}`));
    this.leaving.add(left);
    void left.finally(() => this.leaving.delete(left));
  }

  private assignedPosition(instance: ConsumerInstance, tp: TopicPartition) {
    const position = instance.position(tp.topic, tp.partition);
    if (position === undefined) throw V2_ERRORS.illegalState(`No current assignment for partition ${tp.topic}-${tp.partition}`);
    return position;
  }

  /** Assigning an unknown topic or partition is refused up front rather than failing every later records request. */
  private checkPartition(tp: TopicPartition): void {
    const topic = this.withPartition(tp, () => this.broker.describeTopic(tp.topic));
    if (tp.partition >= topic.partitions.length) throw V2_ERRORS.partitionNotFound(tp.topic, tp.partition);
  }

  private async withPartitionAsync<T>(tp: TopicPartition, read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (err) {
      if (isKafkaError(err, 'UNKNOWN_TOPIC_OR_PARTITION')) throw V2_ERRORS.topicNotFound(tp.topic);
      throw err;
    }
  }

  private withPartition<T>(tp: TopicPartition, read: () => T): T {
    try {
      return read();
    } catch (err) {
      if (isKafkaError(err, 'UNKNOWN_TOPIC_OR_PARTITION')) throw V2_ERRORS.topicNotFound(tp.topic);
      throw err;
    }
  }
}

function parse<S extends z.ZodType>(schema: S, input: unknown, toError: (why: string) => RestError): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const why = parsed.error.issues.map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
  throw toError(why);
}
