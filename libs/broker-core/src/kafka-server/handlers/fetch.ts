import type { FetchRequest as PartitionFetch, FetchResult } from '../../broker/broker-api.js';
import { EMPTY_BUFFER } from '../../broker/error-codes.js';
import { KAFKA_ERRORS } from '../../errors.js';
import { API_KEYS } from '../../protocol/api-keys.js';
import {
  decodeFetchRequest, encodeFetchResponse, makeFetchResponse, makeFetchResponseFetchableTopicResponse, makeFetchResponsePartitionData, makeFetchResponseAbortedTransaction,
  type FetchRequest, type FetchResponse, type FetchResponseFetchableTopicResponse,
} from '../../protocol/fetch/index.js';
import { isolationFromWire } from '../../protocol/isolation-level.js';
import { AclOperation, AclResourceType } from '../../security/acl.js';
import { clusterAuthorized, kafkaAuthorized } from '../../security/authorizer-door.js';
import { defineHandler } from './define-handler.js';
import { uuidToTopicId } from './topic-ids.js';

/** A full fetch that asks for no session (KIP-227: session id 0, epoch -1). */
const FINAL_EPOCH = -1;
const INITIAL_EPOCH = 0;
/**
 * Kafka's broker-side `fetch.max.bytes` (default 55 MiB): a response never asks for more
 * than this, whatever the request's max_bytes. Without it a request of a few KiB naming
 * one partition a thousand times asks for a gigabyte.
 */
export const FETCH_MAX_BYTES = 57_671_680;

/**
 * Fetch v4+ (RecordBatch v2 and the isolation level): stored batches served as the bytes
 * they are on disk, through the broker's shared fetch path, which waits up to
 * max_wait_ms for min_bytes on the timing wheel (DelayedFetch) and keeps the response
 * within max_bytes, itself at most FETCH_MAX_BYTES (Kafka's fetch.max.bytes). Topics are named, or from v13 given by id.
 *
 * A fetch from a follower (replica id >= 0) reads up to the log end and reports the
 * follower's LEO to the leader (replication, see ReplicaManager); current_leader_epoch
 * fences clients and followers with a stale view (KIP-320).
 *
 * A consumer needs READ on each topic, a follower CLUSTER_ACTION on the cluster; what is
 * denied answers TOPIC_AUTHORIZATION_FAILED per partition, as Kafka.
 *
 * Fetch sessions (KIP-227) are not offered: a request that opens one gets session id 0,
 * which tells the client to keep sending full fetches; an incremental fetch in a session
 * that was never created is FETCH_SESSION_ID_NOT_FOUND.
 */
export const fetchHandler = defineHandler({
  apiKey: API_KEYS.Fetch,
  name: 'Fetch',
  minVersion: 4,
  maxVersion: 16,
  decode: decodeFetchRequest,
  encode: encodeFetchResponse,
  handle(ctx, request, header) {
    const { broker } = ctx;
    if (request.sessionId !== 0 || (request.sessionEpoch !== FINAL_EPOCH && request.sessionEpoch !== INITIAL_EPOCH)) {
      return makeFetchResponse({ errorCode: KAFKA_ERRORS.FETCH_SESSION_ID_NOT_FOUND.code });
    }
    const byId = header.apiVersion >= 13;
    // v15 moved the follower's id into replica_state (KIP-903).
    const replicaId = header.apiVersion >= 15 ? request.replicaState.replicaId : request.replicaId;
    const followerDenied = replicaId >= 0 && !clusterAuthorized(ctx, AclOperation.CLUSTER_ACTION);
    const wanted: PartitionFetch[] = [];
    // Per requested topic: its name, undefined for an id no topic has, null when not authorized.
    const names = request.topics.map((topic): string | undefined | null => {
      const name = byId ? broker.topicNameById(uuidToTopicId(topic.topicId)) : topic.topic;
      if (name !== undefined && (followerDenied || (replicaId < 0 && !kafkaAuthorized(ctx, AclOperation.READ, AclResourceType.TOPIC, name)))) return null;
      if (name !== undefined) {
        for (const p of topic.partitions) {
          wanted.push({
            topic: name, partition: p.partition, fetchOffset: p.fetchOffset, maxBytes: p.partitionMaxBytes,
            currentLeaderEpoch: p.currentLeaderEpoch, logStartOffset: p.logStartOffset,
          });
        }
      }
      return name;
    });
    const fetched = broker.fetch(wanted, {
      replicaId,
      maxWaitMs: request.maxWaitMs,
      minBytes: request.minBytes,
      maxBytes: Math.min(request.maxBytes, FETCH_MAX_BYTES),
      isolation: isolationFromWire(request.isolationLevel),
    });
    return fetched.then((results) => fetchResponse(request, names, results));
  },
});

/** Answers in the request's order: the broker returns one result per asked partition, in order. */
function fetchResponse(request: FetchRequest, names: readonly (string | undefined | null)[], results: readonly FetchResult[]): FetchResponse {
  let next = 0;
  const responses = request.topics.map((topic, i): FetchResponseFetchableTopicResponse => {
    const known = names[i] !== undefined;
    if (names[i] === null) {
      return makeFetchResponseFetchableTopicResponse({
        topic: topic.topic, topicId: topic.topicId,
        partitions: topic.partitions.map((p) => makeFetchResponsePartitionData({
          partitionIndex: p.partition, errorCode: KAFKA_ERRORS.TOPIC_AUTHORIZATION_FAILED.code, highWatermark: -1n, records: EMPTY_BUFFER,
        })),
      });
    }
    return makeFetchResponseFetchableTopicResponse({
      topic: topic.topic,
      topicId: topic.topicId,
      partitions: topic.partitions.map((p) => {
        if (!known) return makeFetchResponsePartitionData({ partitionIndex: p.partition, errorCode: KAFKA_ERRORS.UNKNOWN_TOPIC_ID.code, highWatermark: -1n, records: EMPTY_BUFFER });
        const r = results[next++]!;
        return makeFetchResponsePartitionData({
          partitionIndex: r.partition,
          errorCode: r.errorCode,
          highWatermark: r.highWatermark,
          lastStableOffset: r.lastStableOffset,
          logStartOffset: r.logStartOffset,
          // null for read_uncommitted, as Kafka: only read_committed consumers drop aborted batches.
          abortedTransactions: r.abortedTransactions === undefined ? null
            : r.abortedTransactions.map((t) => makeFetchResponseAbortedTransaction({ producerId: t.producerId, firstOffset: t.firstOffset })),
          records: r.records,
        });
      }),
    });
  });
  return makeFetchResponse({ responses });
}
