import type { PartitionOutcome, TopicPartitionRef } from '../../broker/broker-api.js';
import { errorCodeOf } from '../../broker/error-codes.js';
import { KAFKA_ERRORS } from '../../errors.js';
import { API_KEYS } from '../../protocol/api-keys.js';
import {
  decodeAlterPartitionReassignmentsRequest, encodeAlterPartitionReassignmentsResponse, makeAlterPartitionReassignmentsResponse,
  makeAlterPartitionReassignmentsResponseReassignablePartitionResponse, makeAlterPartitionReassignmentsResponseReassignableTopicResponse,
} from '../../protocol/alterPartitionReassignments/index.js';
import {
  decodeElectLeadersRequest, encodeElectLeadersResponse, makeElectLeadersResponse, makeElectLeadersResponsePartitionResult,
  makeElectLeadersResponseReplicaElectionResult,
} from '../../protocol/electLeaders/index.js';
import {
  decodeListPartitionReassignmentsRequest, encodeListPartitionReassignmentsResponse, makeListPartitionReassignmentsResponse,
  makeListPartitionReassignmentsResponseOngoingPartitionReassignment, makeListPartitionReassignmentsResponseOngoingTopicReassignment,
} from '../../protocol/listPartitionReassignments/index.js';
import { AclOperation } from '../../security/acl.js';
import { clusterAuthorized } from '../../security/authorizer-door.js';
import { defineHandler } from './define-handler.js';

/** Elections and reassignments need ALTER on the cluster, listing reassignments DESCRIBE. */
const CLUSTER_DENIED = { errorCode: KAFKA_ERRORS.CLUSTER_AUTHORIZATION_FAILED.code, errorMessage: 'Cluster authorization failed.' };


const UNCLEAN = 1;

/** Groups per-partition outcomes by topic, in first-seen order. */
function byTopic<T extends TopicPartitionRef>(items: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) out.set(item.topic, [...(out.get(item.topic) ?? []), item]);
  return out;
}

/**
 * ElectLeaders (KIP-460): preferred (type 0) or unclean (type 1) elections for the listed
 * partitions, or every partition when the list is null; the controller carries them out
 * and each partition answers with its own error (ELECTION_NOT_NEEDED, ...). v0 has no
 * election type (preferred) and no top-level error.
 */
export const electLeadersHandler = defineHandler({
  apiKey: API_KEYS.ElectLeaders,
  name: 'ElectLeaders',
  minVersion: 0,
  maxVersion: 2,
  decode: decodeElectLeadersRequest,
  encode: encodeElectLeadersResponse,
  async handle(ctx, request) {
    const { broker } = ctx;
    if (!clusterAuthorized(ctx, AclOperation.ALTER)) return makeElectLeadersResponse({ errorCode: KAFKA_ERRORS.CLUSTER_AUTHORIZATION_FAILED.code });
    const refs = request.topicPartitions === null ? null : request.topicPartitions.flatMap((t) => t.partitions.map((partition) => ({ topic: t.topic, partition })));
    let outcomes: PartitionOutcome[];
    try {
      outcomes = await broker.electLeaders(request.electionType === UNCLEAN ? 'unclean' : 'preferred', refs);
    } catch (err) {
      return makeElectLeadersResponse({ errorCode: errorCodeOf(err).errorCode });
    }
    return makeElectLeadersResponse({
      replicaElectionResults: [...byTopic(outcomes)].map(([topic, results]) => makeElectLeadersResponseReplicaElectionResult({
        topic,
        partitionResult: results.map((r) => makeElectLeadersResponsePartitionResult({ partitionId: r.partition, errorCode: r.errorCode, errorMessage: r.errorMessage })),
      })),
    });
  },
});

/** AlterPartitionReassignments (KIP-455): start, change or cancel (null replicas) reassignments. */
export const alterPartitionReassignmentsHandler = defineHandler({
  apiKey: API_KEYS.AlterPartitionReassignments,
  name: 'AlterPartitionReassignments',
  minVersion: 0,
  maxVersion: 0,
  decode: decodeAlterPartitionReassignmentsRequest,
  encode: encodeAlterPartitionReassignmentsResponse,
  async handle(ctx, request) {
    const { broker } = ctx;
    if (!clusterAuthorized(ctx, AclOperation.ALTER)) return makeAlterPartitionReassignmentsResponse(CLUSTER_DENIED);
    const changes = request.topics.flatMap((t) => t.partitions.map((p) => ({ topic: t.name, partition: p.partitionIndex, replicas: p.replicas })));
    let outcomes: PartitionOutcome[];
    try {
      outcomes = await broker.alterPartitionReassignments(changes);
    } catch (err) {
      const { errorCode, errorMessage } = errorCodeOf(err);
      return makeAlterPartitionReassignmentsResponse({ errorCode, errorMessage });
    }
    return makeAlterPartitionReassignmentsResponse({
      responses: [...byTopic(outcomes)].map(([name, results]) => makeAlterPartitionReassignmentsResponseReassignableTopicResponse({
        name,
        partitions: results.map((r) => makeAlterPartitionReassignmentsResponseReassignablePartitionResponse({
          partitionIndex: r.partition, errorCode: r.errorCode, errorMessage: r.errorMessage,
        })),
      })),
    });
  },
});

/** ListPartitionReassignments (KIP-455): ongoing reassignments, all or of the partitions named. */
export const listPartitionReassignmentsHandler = defineHandler({
  apiKey: API_KEYS.ListPartitionReassignments,
  name: 'ListPartitionReassignments',
  minVersion: 0,
  maxVersion: 0,
  decode: decodeListPartitionReassignmentsRequest,
  encode: encodeListPartitionReassignmentsResponse,
  handle(ctx, request) {
    const { broker } = ctx;
    if (!clusterAuthorized(ctx, AclOperation.DESCRIBE)) return makeListPartitionReassignmentsResponse(CLUSTER_DENIED);
    const refs = request.topics === null ? null : request.topics.flatMap((t) => t.partitionIndexes.map((partition) => ({ topic: t.name, partition })));
    const ongoing = broker.listPartitionReassignments(refs);
    return makeListPartitionReassignmentsResponse({
      errorCode: KAFKA_ERRORS.NONE.code,
      topics: [...byTopic(ongoing)].map(([name, partitions]) => makeListPartitionReassignmentsResponseOngoingTopicReassignment({
        name,
        partitions: partitions.map((p) => makeListPartitionReassignmentsResponseOngoingPartitionReassignment({
          partitionIndex: p.partition, replicas: [...p.replicas], addingReplicas: [...p.addingReplicas], removingReplicas: [...p.removingReplicas],
        })),
      })),
    });
  },
});
