import type { AppendEntry, AppendResult, FetchOptions, FetchRequest, FetchResult, IsolationLevel, TopicPartitionRef } from '../broker/broker-api.js';
import { EMPTY_BUFFER } from '../broker/error-codes.js';
import type { KafkaClientConnection } from '../kafka-client/kafka-client-connection.js';
import { API_KEYS } from '../protocol/api-keys.js';
import {
  makeDeleteRecordsRequest, makeDeleteRecordsRequestPartition, makeDeleteRecordsRequestTopic,
  type DeleteRecordsRequest, type DeleteRecordsResponse,
} from '../protocol/deleteRecords/index.js';
import { makeFetchRequest, makeFetchRequestPartition, makeFetchRequestTopic, type FetchRequest as FetchMessage, type FetchResponse } from '../protocol/fetch/index.js';
import { makeListOffsetsRequest, makeListOffsetsRequestPartition, makeListOffsetsRequestTopic, type ListOffsetsRequest, type ListOffsetsResponse } from '../protocol/listOffsets/index.js';
import { makeProduceRequest, makeProduceRequestPartitionProduceData, makeProduceRequestTopicProduceData, type ProduceRequest, type ProduceResponse } from '../protocol/produce/index.js';
import { isolationToWire } from '../protocol/isolation-level.js';
import { groupByTopic, NO_ANSWER_CODE, PartitionAnswers } from './remote-partitions-routing.js';

/**
 * The requests RemotePartitions sends a partition's leader on behalf of the REST door,
 * and their answers turned back into BrokerApi's result shapes, one per item asked, in
 * the order asked. Versions are those a Kafka 3.x client sends: Produce v9, Fetch v12 (the
 * last naming topics rather than ids), ListOffsets v7, DeleteRecords v2 (all flexible).
 * Every request speaks as a consumer or producer (replica id -1), never as a follower.
 */
export const PRODUCE_VERSION = 9;
export const FETCH_VERSION = 12;
export const LIST_OFFSETS_VERSION = 7;
export const DELETE_RECORDS_VERSION = 2;

const CONSUMER_REPLICA_ID = -1;
/** A full fetch outside any fetch session (KIP-227). */
const NO_SESSION_ID = 0;
const FINAL_SESSION_EPOCH = -1;

const missing = (what: string, ref: TopicPartitionRef) => `the leader's ${what} response left out ${ref.topic}-${ref.partition}`;

// ---- Produce ----

export function produceRequest(entries: readonly AppendEntry[], acks: 1 | -1, timeoutMs: number): ProduceRequest {
  const topicData = groupByTopic(entries, (e) => makeProduceRequestPartitionProduceData({ index: e.partition, records: e.records }));
  return makeProduceRequest({ acks, timeoutMs, topicData: topicData.map(({ name, partitions }) => makeProduceRequestTopicProduceData({ name, partitionData: partitions })) });
}

export function appendResults(entries: readonly AppendEntry[], response: ProduceResponse): AppendResult[] {
  const answers = new PartitionAnswers<ProduceResponse['responses'][number]['partitionResponses'][number]>();
  for (const topic of response.responses) for (const p of topic.partitionResponses) answers.add(topic.name, p.index, p);
  return entries.map((entry) => {
    const p = answers.take(entry.topic, entry.partition);
    if (p === undefined) return failedAppend(entry, NO_ANSWER_CODE, missing('Produce', entry));
    return {
      topic: entry.topic, partition: entry.partition, errorCode: p.errorCode, errorMessage: p.errorCode === 0 ? null : p.errorMessage,
      baseOffset: p.baseOffset, logAppendTime: p.logAppendTimeMs, logStartOffset: p.logStartOffset,
    };
  });
}

export function failedAppend(entry: TopicPartitionRef, errorCode: number, errorMessage: string): AppendResult {
  return { topic: entry.topic, partition: entry.partition, errorCode, errorMessage, baseOffset: -1n, logAppendTime: -1n, logStartOffset: -1n };
}

// ---- Fetch ----

/** Kafka's wire bounds for what FetchOptions leaves open: max_bytes is an int32. */
const INT32_MAX = 0x7fffffff;

export function fetchRequest(requests: readonly FetchRequest[], options: FetchOptions, maxWaitMs: number): FetchMessage {
  const topics = groupByTopic(requests, (r) => makeFetchRequestPartition({
    partition: r.partition, currentLeaderEpoch: r.currentLeaderEpoch ?? -1, fetchOffset: r.fetchOffset, partitionMaxBytes: r.maxBytes,
  }));
  return makeFetchRequest({
    replicaId: CONSUMER_REPLICA_ID,
    maxWaitMs,
    minBytes: options.minBytes ?? 1,
    maxBytes: Math.min(options.maxBytes ?? INT32_MAX, INT32_MAX),
    isolationLevel: isolationToWire(options.isolation),
    sessionId: NO_SESSION_ID,
    sessionEpoch: FINAL_SESSION_EPOCH,
    topics: topics.map(({ name, partitions }) => makeFetchRequestTopic({ topic: name, partitions })),
  });
}

export function fetchResults(requests: readonly FetchRequest[], response: FetchResponse): FetchResult[] {
  const answers = new PartitionAnswers<FetchResponse['responses'][number]['partitions'][number]>();
  for (const topic of response.responses) for (const p of topic.partitions) answers.add(topic.topic, p.partitionIndex, p);
  return requests.map((request) => {
    // A top-level error (a fetch session refused) applies to every partition.
    const p = answers.take(request.topic, request.partition);
    if (p === undefined) return failedFetch(request, response.errorCode !== 0 ? response.errorCode : NO_ANSWER_CODE);
    const result: FetchResult = {
      topic: request.topic, partition: request.partition, errorCode: p.errorCode, highWatermark: p.highWatermark,
      logStartOffset: p.logStartOffset, lastStableOffset: p.lastStableOffset, records: p.records ?? EMPTY_BUFFER,
    };
    // A read_committed answer lists the aborted transactions in its batches (null for read_uncommitted).
    if (p.abortedTransactions === null || p.errorCode !== 0) return result;
    return { ...result, abortedTransactions: p.abortedTransactions.map((t) => ({ producerId: t.producerId, firstOffset: t.firstOffset })) };
  });
}

export function failedFetch(request: TopicPartitionRef, errorCode: number): FetchResult {
  return { topic: request.topic, partition: request.partition, errorCode, highWatermark: -1n, logStartOffset: -1n, lastStableOffset: -1n, records: EMPTY_BUFFER };
}

// ---- ListOffsets ----

export interface OffsetQuery extends TopicPartitionRef {
  /** -1 latest (the HW), -2 earliest, -3 the largest timestamp, else the first offset at or after it. */
  readonly timestamp: bigint;
  readonly currentLeaderEpoch: number;
  /** Default read_uncommitted (latest is the HW); read_committed: the LSO. */
  readonly isolation?: IsolationLevel;
}

export interface OffsetAnswer {
  readonly errorCode: number;
  /** -1 when no record matches the timestamp. */
  readonly offset: bigint;
  readonly timestamp: bigint;
}

export function listOffsetsRequest(queries: readonly OffsetQuery[]): ListOffsetsRequest {
  const topics = groupByTopic(queries, (q) => makeListOffsetsRequestPartition({ partitionIndex: q.partition, currentLeaderEpoch: q.currentLeaderEpoch, timestamp: q.timestamp }));
  // replica_id -1: a consumer's question, answered with the HW rather than a follower's log end.
  const isolationLevel = isolationToWire(queries[0]?.isolation);
  return makeListOffsetsRequest({ replicaId: CONSUMER_REPLICA_ID, isolationLevel, topics: topics.map((t) => makeListOffsetsRequestTopic(t)) });
}

export function offsetAnswers(queries: readonly OffsetQuery[], response: ListOffsetsResponse): OffsetAnswer[] {
  const answers = new PartitionAnswers<OffsetAnswer>();
  for (const topic of response.topics) for (const p of topic.partitions) answers.add(topic.name, p.partitionIndex, p);
  return queries.map((q) => answers.take(q.topic, q.partition) ?? { errorCode: NO_ANSWER_CODE, offset: -1n, timestamp: -1n });
}

// ---- DeleteRecords ----

export interface DeletionAnswer {
  readonly errorCode: number;
  /** The partition's log start offset after the deletion. */
  readonly lowWatermark: bigint;
}

export function deleteRecordsRequest(ref: TopicPartitionRef, beforeOffset: bigint, timeoutMs: number): DeleteRecordsRequest {
  const partitions = [makeDeleteRecordsRequestPartition({ partitionIndex: ref.partition, offset: beforeOffset })];
  return makeDeleteRecordsRequest({ topics: [makeDeleteRecordsRequestTopic({ name: ref.topic, partitions })], timeoutMs });
}

export function deletionAnswer(ref: TopicPartitionRef, response: DeleteRecordsResponse): DeletionAnswer {
  const p = response.topics.find((t) => t.name === ref.topic)?.partitions.find((q) => q.partitionIndex === ref.partition);
  return p ?? { errorCode: NO_ANSWER_CODE, lowWatermark: -1n };
}

/** DeleteRecords through the connection's typed `send`. */
export function sendDeleteRecords(connection: KafkaClientConnection, request: DeleteRecordsRequest): Promise<DeleteRecordsResponse> {
  return connection.send(API_KEYS.DeleteRecords, DELETE_RECORDS_VERSION, request);
}
