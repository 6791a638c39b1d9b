import { groupCoordinatorOf } from '../../group/group-coordinator.js';
import type { PartitionError } from '../../group/group-results.js';
import { KAFKA_ERRORS } from '../../errors.js';
import { API_KEYS } from '../../protocol/api-keys.js';
import {
  decodeTxnOffsetCommitRequest, encodeTxnOffsetCommitResponse, makeTxnOffsetCommitResponse, makeTxnOffsetCommitResponsePartition, makeTxnOffsetCommitResponseTopic,
} from '../../protocol/txnOffsetCommit/index.js';
import { AclOperation, AclResourceType } from '../../security/acl.js';
import { groupAuthorized, kafkaAuthorized, topicAuthorized } from '../../security/authorizer-door.js';
import { defineHandler } from './define-handler.js';
import { NO_COORDINATOR } from './groups-coordinator.js';
import { byTopic } from './groups-offsets.js';

const E = KAFKA_ERRORS;

/**
 * TxnOffsetCommit v0-v3: a transactional producer's consumed offsets (sendOffsetsToTransaction),
 * sent to the group's coordinator after AddOffsetsToTxn. Written inside the producer's
 * transaction and visible to OffsetFetch only once it commits. v2 adds the leader epoch,
 * v3 the consumer's generation, member id and instance id (KIP-447), checked when given.
 * As Kafka, v0 and v1 hear COORDINATOR_NOT_AVAILABLE instead of COORDINATOR_LOAD_IN_PROGRESS,
 * which the producers of that age did not retry.
 */
export const txnOffsetCommitHandler = defineHandler({
  apiKey: API_KEYS.TxnOffsetCommit,
  name: 'TxnOffsetCommit',
  minVersion: 0,
  maxVersion: 3,
  decode: decodeTxnOffsetCommitRequest,
  encode: encodeTxnOffsetCommitResponse,
  async handle(ctx, request, header) {
    const all = request.topics.flatMap((t) => t.partitions.map((p) => ({
      topic: t.name, partition: p.partitionIndex, offset: p.committedOffset, leaderEpoch: p.committedLeaderEpoch, metadata: p.committedMetadata, commitTimestampMs: -1,
    })));
    // WRITE on the transactional id, READ on the group, READ on each topic (Kafka's KafkaApis).
    const whole = !kafkaAuthorized(ctx, AclOperation.WRITE, AclResourceType.TRANSACTIONAL_ID, request.transactionalId) ? E.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code
      : !groupAuthorized(ctx, AclOperation.READ, request.groupId) ? E.GROUP_AUTHORIZATION_FAILED.code : undefined;
    const readable = new Map(request.topics.map((t) => [t.name, whole === undefined && topicAuthorized(ctx, AclOperation.READ, t.name)]));
    const denied: PartitionError[] = all.filter((o) => !readable.get(o.topic))
      .map((o) => ({ topic: o.topic, partition: o.partition, errorCode: whole ?? E.TOPIC_AUTHORIZATION_FAILED.code }));
    const offsets = all.filter((o) => readable.get(o.topic));
    const groups = groupCoordinatorOf(ctx.broker);
    const committed: PartitionError[] = offsets.length === 0 ? [] : groups === undefined ? offsets.map((o) => ({ ...o, errorCode: NO_COORDINATOR })) : await groups.commitTransactionalOffsets({
      transactionalId: request.transactionalId, groupId: request.groupId, producerId: request.producerId, producerEpoch: request.producerEpoch,
      generationId: request.generationId, memberId: request.memberId, groupInstanceId: request.groupInstanceId, offsets,
    });
    const results = [...committed, ...denied];
    const old = header.apiVersion < 2;
    return makeTxnOffsetCommitResponse({
      topics: byTopic(results).map(([name, partitions]) => makeTxnOffsetCommitResponseTopic({
        name,
        partitions: partitions.map((p) => makeTxnOffsetCommitResponsePartition({
          partitionIndex: p.partition, errorCode: old && p.errorCode === E.COORDINATOR_LOAD_IN_PROGRESS.code ? E.COORDINATOR_NOT_AVAILABLE.code : p.errorCode,
        })),
      })),
    });
  },
});
