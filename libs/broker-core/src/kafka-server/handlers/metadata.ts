import type { TopicDescription } from '../../broker/broker-api.js';
import { errorCodeOf } from '../../broker/error-codes.js';
import { validateTopicName } from '../../broker/topic-name.js';
import { KAFKA_ERRORS } from '../../errors.js';
import { API_KEYS } from '../../protocol/api-keys.js';
import {
  decodeMetadataRequest, encodeMetadataResponse, makeMetadataResponse, makeMetadataResponseBroker, makeMetadataResponsePartition,
  makeMetadataResponseTopic, type MetadataRequest, type MetadataResponseTopic,
} from '../../protocol/metadata/index.js';
import { NULL_UUID } from '../../protocol/primitives/reader.js';
import { AclOperation, AclResourceType, CLUSTER_RESOURCE_NAME } from '../../security/acl.js';
import { kafkaAuthorized, kafkaAuthorizedOperations } from '../../security/authorizer-door.js';
import type { ServerContext } from '../api-handler.js';
import { OPERATIONS_NOT_REQUESTED } from './authorized-operations.js';
import { defineHandler } from './define-handler.js';
import { topicIdToUuid, uuidToTopicId } from './topic-ids.js';

/**
 * Metadata: the brokers with their advertised endpoints, the cluster id and controller,
 * and per topic its id and partitions (leader, epoch, replicas, ISR, offline replicas).
 * No topic list (null, or empty before v1) means every topic. Missing topics answer
 * UNKNOWN_TOPIC_OR_PARTITION; Weir does not create topics from Metadata requests.
 * Topics the principal may not DESCRIBE are left out of a full listing and answer
 * TOPIC_AUTHORIZATION_FAILED when named; authorized operations come from the ACLs.
 */
export const metadataHandler = defineHandler({
  apiKey: API_KEYS.Metadata,
  name: 'Metadata',
  minVersion: 0,
  maxVersion: 12,
  decode: decodeMetadataRequest,
  encode: encodeMetadataResponse,
  handle(ctx, request, header) {
    const { broker } = ctx;
    const cluster = broker.describeCluster();
    const live = new Set(cluster.brokers.map((b) => b.brokerId));
    const allTopics = request.topics === null || (header.apiVersion === 0 && request.topics.length === 0);
    const topics = allTopics
      ? broker.listTopics({ includeInternal: true }).filter((t) => mayDescribe(ctx, t.name)).map((t) => describedTopic(ctx, t, live, request))
      : request.topics!.map((t) => requestedTopic(ctx, t.name, t.topicId, live, request, header.apiVersion));
    return makeMetadataResponse({
      brokers: cluster.brokers.map((b) => makeMetadataResponseBroker({ nodeId: b.brokerId, host: b.host, port: b.port, rack: b.rack })),
      clusterId: cluster.clusterId,
      controllerId: cluster.controllerId,
      topics,
      clusterAuthorizedOperations: request.includeClusterAuthorizedOperations
        ? kafkaAuthorizedOperations(ctx, AclResourceType.CLUSTER, CLUSTER_RESOURCE_NAME) : OPERATIONS_NOT_REQUESTED,
    });
  },
});

function mayDescribe(ctx: ServerContext, topic: string): boolean {
  return kafkaAuthorized(ctx, AclOperation.DESCRIBE, AclResourceType.TOPIC, topic);
}

function requestedTopic(ctx: ServerContext, name: string | null, topicId: string, live: ReadonlySet<number>, request: MetadataRequest, version: number): MetadataResponseTopic {
  // A topic asked for by id has no name to echo; the response's name is nullable from v12.
  const noName = version >= 12 ? null : '';
  const { broker } = ctx;
  const byId = name === null && topicId !== NULL_UUID;
  const resolved = byId ? broker.topicNameById(uuidToTopicId(topicId)) : name;
  if (resolved === undefined || resolved === null) {
    return makeMetadataResponseTopic({ errorCode: KAFKA_ERRORS[byId ? 'UNKNOWN_TOPIC_ID' : 'INVALID_TOPIC_EXCEPTION'].code, name: noName, topicId });
  }
  if (!mayDescribe(ctx, resolved)) {
    return makeMetadataResponseTopic({ errorCode: KAFKA_ERRORS.TOPIC_AUTHORIZATION_FAILED.code, name: byId ? noName : resolved, topicId: byId ? topicId : NULL_UUID });
  }
  try {
    validateTopicName(resolved);
    return describedTopic(ctx, broker.describeTopic(resolved), live, request);
  } catch (err) {
    return makeMetadataResponseTopic({ errorCode: errorCodeOf(err).errorCode, name: byId ? noName : resolved, topicId: byId ? topicId : NULL_UUID });
  }
}

function describedTopic(ctx: ServerContext, topic: TopicDescription, live: ReadonlySet<number>, request: MetadataRequest): MetadataResponseTopic {
  return makeMetadataResponseTopic({
    name: topic.name,
    topicId: topicIdToUuid(topic.topicId),
    isInternal: topic.internal,
    partitions: topic.partitions.map((p) => makeMetadataResponsePartition({
      // A leader whose broker is not registered is no leader to a client (Kafka's metadata cache).
      errorCode: p.leader === -1 || !live.has(p.leader) ? KAFKA_ERRORS.LEADER_NOT_AVAILABLE.code : 0,
      partitionIndex: p.partition,
      leaderId: live.has(p.leader) ? p.leader : -1,
      leaderEpoch: p.leaderEpoch,
      replicaNodes: [...p.replicas],
      isrNodes: [...p.isr],
      offlineReplicas: p.replicas.filter((r) => !live.has(r)),
    })),
    topicAuthorizedOperations: request.includeTopicAuthorizedOperations
      ? kafkaAuthorizedOperations(ctx, AclResourceType.TOPIC, topic.name) : OPERATIONS_NOT_REQUESTED,
  });
}
