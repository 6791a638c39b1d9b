import type { BrokerApi, NewTopic } from '../../broker/broker-api.js';
import { errorCodeOf } from '../../broker/error-codes.js';
import { KAFKA_ERRORS, KafkaError } from '../../errors.js';
import { API_KEYS } from '../../protocol/api-keys.js';
import {
  decodeCreatePartitionsRequest, encodeCreatePartitionsResponse, makeCreatePartitionsResponse, makeCreatePartitionsResponseTopicResult,
  type CreatePartitionsRequestTopic,
} from '../../protocol/createPartitions/index.js';
import {
  decodeCreateTopicsRequest, encodeCreateTopicsResponse, makeCreateTopicsResponse, makeCreateTopicsResponseCreatableTopicConfigs,
  makeCreateTopicsResponseCreatableTopicResult, type CreateTopicsRequestCreatableTopic, type CreateTopicsResponseCreatableTopicResult,
} from '../../protocol/createTopics/index.js';
import {
  decodeDeleteTopicsRequest, encodeDeleteTopicsResponse, makeDeleteTopicsResponse, makeDeleteTopicsResponseDeletableTopicResult,
  type DeleteTopicsResponseDeletableTopicResult,
} from '../../protocol/deleteTopics/index.js';
import { NULL_UUID } from '../../protocol/primitives/reader.js';
import { configSourceCode } from './config-codes.js';
import { AclOperation } from '../../security/acl.js';
import { clusterAuthorized, topicAuthorized } from '../../security/authorizer-door.js';
import type { ServerContext } from '../api-handler.js';
import { defineHandler } from './define-handler.js';
import { topicIdToUuid, uuidToTopicId } from './topic-ids.js';

function denied(topic: string, operation: string): KafkaError {
  return new KafkaError('TOPIC_AUTHORIZATION_FAILED', `Not authorized to ${operation} topic ${topic}`);
}

/** Names that appear more than once in one request: Kafka answers each with INVALID_REQUEST. */
function duplicated(names: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const dups = new Set<string>();
  for (const n of names) (seen.has(n) ? dups : seen).add(n);
  return dups;
}

/**
 * CreateTopics: -1 partitions or replication factor take the broker's defaults; manual
 * assignments must name live brokers, the same number for every partition, partitions
 * 0..n-1 (the single-broker placement then matches them). Needs CREATE on the cluster or on the topic.
 */
export const createTopicsHandler = defineHandler({
  apiKey: API_KEYS.CreateTopics,
  name: 'CreateTopics',
  minVersion: 0,
  maxVersion: 7,
  decode: decodeCreateTopicsRequest,
  encode: encodeCreateTopicsResponse,
  async handle(ctx, request) {
    const dups = duplicated(request.topics.map((t) => t.name));
    const clusterCreate = clusterAuthorized(ctx, AclOperation.CREATE);
    const topics = await Promise.all(request.topics.map((t) => {
      if (dups.has(t.name)) return failedTopic(t.name, new KafkaError('INVALID_REQUEST', `Create topics request from client contains multiple entries for the following topic: ${t.name}`));
      if (!clusterCreate && !topicAuthorized(ctx, AclOperation.CREATE, t.name)) return failedTopic(t.name, denied(t.name, 'CREATE'));
      return createTopic(ctx.broker, t, request.validateOnly);
    }));
    return makeCreateTopicsResponse({ topics });
  },
});

async function createTopic(broker: BrokerApi, t: CreateTopicsRequestCreatableTopic, validateOnly: boolean): Promise<CreateTopicsResponseCreatableTopicResult> {
  try {
    const topic = toNewTopic(broker, t);
    const created = await broker.createTopic(topic, { validateOnly });
    const configs = validateOnly ? [] : broker.describeTopicConfigs(created.name);
    return makeCreateTopicsResponseCreatableTopicResult({
      name: created.name,
      topicId: validateOnly ? NULL_UUID : topicIdToUuid(created.topicId),
      numPartitions: created.partitions.length,
      replicationFactor: created.replicationFactor,
      configs: configs.map((c) => makeCreateTopicsResponseCreatableTopicConfigs({
        name: c.name, value: c.sensitive ? null : c.value, readOnly: c.readOnly, configSource: configSourceCode(c.source), isSensitive: c.sensitive,
      })),
    });
  } catch (err) {
    return failedTopic(t.name, err);
  }
}

function toNewTopic(broker: BrokerApi, t: CreateTopicsRequestCreatableTopic): NewTopic {
  const configs: Record<string, string> = {};
  for (const c of t.configs) {
    if (c.value === null) throw new KafkaError('INVALID_CONFIG', `Null value not supported for topic configs: ${c.name}`);
    configs[c.name] = c.value;
  }
  if (t.assignments.length === 0) {
    return {
      name: t.name,
      ...(t.numPartitions === -1 ? {} : { partitions: t.numPartitions }),
      ...(t.replicationFactor === -1 ? {} : { replicationFactor: t.replicationFactor }),
      configs,
    };
  }
  if (t.numPartitions !== -1 || t.replicationFactor !== -1) {
    throw new KafkaError('INVALID_REQUEST', 'Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time.');
  }
  const replicationFactor = checkAssignments(broker, t.assignments.map((a) => a.brokerIds), t.assignments.map((a) => a.partitionIndex));
  return { name: t.name, partitions: t.assignments.length, replicationFactor, configs };
}

/** Checks manual replica assignments against the live brokers; returns their replication factor. */
function checkAssignments(broker: BrokerApi, assignments: readonly (readonly number[])[], partitions: readonly number[]): number {
  const live = new Set(broker.describeCluster().brokers.map((b) => b.brokerId));
  const sorted = [...partitions].sort((a, b) => a - b);
  if (sorted.some((p, i) => p !== i)) throw new KafkaError('INVALID_REPLICA_ASSIGNMENT', 'Partitions should be a consecutive 0-based integer sequence');
  const factor = assignments[0]?.length ?? 0;
  for (const replicas of assignments) {
    if (replicas.length === 0 || replicas.length !== factor) throw new KafkaError('INVALID_REPLICA_ASSIGNMENT', 'All partitions should have the same number of replicas');
    if (new Set(replicas).size !== replicas.length) throw new KafkaError('INVALID_REPLICA_ASSIGNMENT', `Duplicate replica assignment found: ${replicas.join(',')}`);
    const unknown = replicas.filter((r) => !live.has(r));
    if (unknown.length > 0) throw new KafkaError('INVALID_REPLICA_ASSIGNMENT', `Unknown broker(s) in the replica assignment: ${unknown.join(',')}`);
  }
  return factor;
}

function failedTopic(name: string, err: unknown): CreateTopicsResponseCreatableTopicResult {
  const { errorCode, errorMessage } = errorCodeOf(err);
  return makeCreateTopicsResponseCreatableTopicResult({ name, errorCode, errorMessage, configs: null });
}

/** DeleteTopics: by name (v0-5), or by name or id (v6). Each topic needs DELETE. */
export const deleteTopicsHandler = defineHandler({
  apiKey: API_KEYS.DeleteTopics,
  name: 'DeleteTopics',
  minVersion: 0,
  maxVersion: 6,
  decode: decodeDeleteTopicsRequest,
  encode: encodeDeleteTopicsResponse,
  async handle(ctx, request, header) {
    const wanted = header.apiVersion >= 6 ? request.topics : request.topicNames.map((name) => ({ name, topicId: NULL_UUID }));
    const responses = await Promise.all(wanted.map((t) => deleteTopic(ctx, t.name, t.topicId)));
    return makeDeleteTopicsResponse({ responses });
  },
});

async function deleteTopic(ctx: ServerContext, name: string | null, topicId: string): Promise<DeleteTopicsResponseDeletableTopicResult> {
  const { broker } = ctx;
  const resolved = name ?? broker.topicNameById(uuidToTopicId(topicId));
  if (resolved === undefined) {
    return makeDeleteTopicsResponseDeletableTopicResult({ name: null, topicId, errorCode: KAFKA_ERRORS.UNKNOWN_TOPIC_ID.code, errorMessage: `No topic with id ${topicId}` });
  }
  try {
    if (!topicAuthorized(ctx, AclOperation.DELETE, resolved)) throw denied(resolved, 'DELETE');
    const id = topicIdToUuid(broker.describeTopic(resolved).topicId);
    await broker.deleteTopic(resolved);
    return makeDeleteTopicsResponseDeletableTopicResult({ name: resolved, topicId: id });
  } catch (err) {
    const { errorCode, errorMessage } = errorCodeOf(err);
    return makeDeleteTopicsResponseDeletableTopicResult({ name: resolved, topicId, errorCode, errorMessage });
  }
}

/** CreatePartitions: raises partition counts (ALTER on each topic); assignments for the new partitions are checked like CreateTopics'. */
export const createPartitionsHandler = defineHandler({
  apiKey: API_KEYS.CreatePartitions,
  name: 'CreatePartitions',
  minVersion: 0,
  maxVersion: 3,
  decode: decodeCreatePartitionsRequest,
  encode: encodeCreatePartitionsResponse,
  async handle(ctx, request) {
    const { broker } = ctx;
    const dups = duplicated(request.topics.map((t) => t.name));
    const results = await Promise.all(request.topics.map(async (t) => {
      try {
        if (dups.has(t.name)) throw new KafkaError('INVALID_REQUEST', `Duplicate topic in request: ${t.name}`);
        if (!topicAuthorized(ctx, AclOperation.ALTER, t.name)) throw denied(t.name, 'ALTER');
        checkNewAssignments(broker, t);
        await broker.createPartitions(t.name, t.count, { validateOnly: request.validateOnly });
        return makeCreatePartitionsResponseTopicResult({ name: t.name });
      } catch (err) {
        const { errorCode, errorMessage } = errorCodeOf(err);
        return makeCreatePartitionsResponseTopicResult({ name: t.name, errorCode, errorMessage });
      }
    }));
    return makeCreatePartitionsResponse({ results });
  },
});

function checkNewAssignments(broker: BrokerApi, t: CreatePartitionsRequestTopic): void {
  if (t.assignments === null) return;
  const current = broker.describeTopic(t.name);
  const added = t.count - current.partitions.length;
  if (t.assignments.length !== added) {
    throw new KafkaError('INVALID_REPLICA_ASSIGNMENT', `Increasing the number of partitions by ${added} but ${t.assignments.length} assignments provided.`);
  }
  const factor = checkAssignments(broker, t.assignments.map((a) => a.brokerIds), t.assignments.map((_, i) => i));
  if (factor !== current.replicationFactor) {
    throw new KafkaError('INVALID_REPLICA_ASSIGNMENT', `Inconsistent replication factor between partitions, partition 0 has ${current.replicationFactor} while partitions [${current.partitions.length}] have replication factors [${factor}], respectively.`);
  }
}
