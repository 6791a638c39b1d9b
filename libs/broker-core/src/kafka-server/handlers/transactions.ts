import type { TopicPartitionRef } from '../../broker/broker-api.js';
import { errorCodeOf } from '../../broker/error-codes.js';
import { KAFKA_ERRORS as E } from '../../errors.js';
import {
  decodeAddOffsetsToTxnRequest, encodeAddOffsetsToTxnResponse, makeAddOffsetsToTxnResponse,
} from '../../protocol/addOffsetsToTxn/index.js';
import {
  decodeAddPartitionsToTxnRequest, encodeAddPartitionsToTxnResponse, makeAddPartitionsToTxnResponse, makeAddPartitionsToTxnResponsePartitionResult,
  makeAddPartitionsToTxnResponseResult, makeAddPartitionsToTxnResponseTopicResult, type AddPartitionsToTxnRequestTopic,
  type AddPartitionsToTxnRequestTransaction, type AddPartitionsToTxnResponseResult, type AddPartitionsToTxnResponseTopicResult,
} from '../../protocol/addPartitionsToTxn/index.js';
import { API_KEYS } from '../../protocol/api-keys.js';
import {
  decodeDescribeTransactionsRequest, encodeDescribeTransactionsResponse, makeDescribeTransactionsResponse,
  makeDescribeTransactionsResponseTopicData, makeDescribeTransactionsResponseTransactionState,
} from '../../protocol/describeTransactions/index.js';
import { decodeEndTxnRequest, encodeEndTxnResponse, makeEndTxnResponse } from '../../protocol/endTxn/index.js';
import { decodeInitProducerIdRequest, encodeInitProducerIdResponse, makeInitProducerIdResponse } from '../../protocol/initProducerId/index.js';
import {
  decodeListTransactionsRequest, encodeListTransactionsResponse, makeListTransactionsResponse, makeListTransactionsResponseTransactionState,
} from '../../protocol/listTransactions/index.js';
import { transactionCoordinatorOf, type TransactionCoordinator } from '../../txn/transaction-coordinator.js';
import { AclOperation, AclResourceType } from '../../security/acl.js';
import { clientAddress, clusterAuthorized, groupAuthorized, kafkaAuthorized, topicAuthorized } from '../../security/authorizer-door.js';
import type { ServerContext } from '../api-handler.js';
import { defineHandler } from './define-handler.js';

/** What transaction APIs answer when the broker behind the listener has no transaction coordinator. */
const NO_COORDINATOR = E.COORDINATOR_NOT_AVAILABLE.code;

/** Clients older than KIP-588 (these versions) know INVALID_PRODUCER_EPOCH, not PRODUCER_FENCED: Kafka answers them with it. */
function fencedFor(version: number, firstWithFenced: number, code: number): number {
  return version < firstWithFenced && code === E.PRODUCER_FENCED.code ? E.INVALID_PRODUCER_EPOCH.code : code;
}

const TXN_DENIED = E.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code;

/** WRITE on a transactional id: what every transactional API needs (Kafka's KafkaApis). */
function mayWriteTxn(ctx: ServerContext, transactionalId: string): boolean {
  return kafkaAuthorized(ctx, AclOperation.WRITE, AclResourceType.TRANSACTIONAL_ID, transactionalId);
}

/**
 * InitProducerId v0-v4: a producer id for an idempotent producer (null transactional id),
 * or the id and a bumped epoch of a transactional one, fencing its previous incarnation;
 * CONCURRENT_TRANSACTIONS while an open transaction of the id is being aborted. A
 * transactional id needs WRITE on it; an idempotent producer IDEMPOTENT_WRITE on the
 * cluster or WRITE on some topic.
 */
export const initProducerIdHandler = defineHandler({
  apiKey: API_KEYS.InitProducerId,
  name: 'InitProducerId',
  minVersion: 0,
  maxVersion: 4,
  decode: decodeInitProducerIdRequest,
  encode: encodeInitProducerIdResponse,
  async handle(ctx, request, header) {
    const { broker } = ctx;
    if (request.transactionalId !== null ? !mayWriteTxn(ctx, request.transactionalId)
      : !clusterAuthorized(ctx, AclOperation.IDEMPOTENT_WRITE) && !broker.authorizeAnyResource(ctx.session.principal, clientAddress(ctx), AclOperation.WRITE, AclResourceType.TOPIC)) {
      return makeInitProducerIdResponse({ errorCode: request.transactionalId !== null ? TXN_DENIED : E.CLUSTER_AUTHORIZATION_FAILED.code });
    }
    const txn = transactionCoordinatorOf(broker);
    if (txn === undefined) return makeInitProducerIdResponse({ errorCode: NO_COORDINATOR });
    const result = await txn.initProducerId(request);
    return makeInitProducerIdResponse({ ...result, errorCode: fencedFor(header.apiVersion, 4, result.errorCode) });
  },
});

/**
 * AddPartitionsToTxn v0-v4. v0-v3 (clients): one transaction, one error code for all its
 * partitions; an unknown partition fails the request (UNKNOWN_TOPIC_OR_PARTITION for it,
 * OPERATION_NOT_ATTEMPTED for the others). v4 (brokers, KIP-890): several transactions,
 * each answered on its own, `verifyOnly` ones checked without being added.
 */
export const addPartitionsToTxnHandler = defineHandler({
  apiKey: API_KEYS.AddPartitionsToTxn,
  name: 'AddPartitionsToTxn',
  minVersion: 0,
  maxVersion: 4,
  decode: decodeAddPartitionsToTxnRequest,
  encode: encodeAddPartitionsToTxnResponse,
  async handle(ctx, request, header) {
    const txn = transactionCoordinatorOf(ctx.broker);
    const version = header.apiVersion;
    if (version < 4) {
      const result = await addTransaction(ctx, txn, {
        transactionalId: request.v3AndBelowTransactionalId, producerId: request.v3AndBelowProducerId,
        producerEpoch: request.v3AndBelowProducerEpoch, verifyOnly: false, topics: request.v3AndBelowTopics,
      }, version);
      return makeAddPartitionsToTxnResponse({ resultsByTopicV3AndBelow: result.topicResults });
    }
    const results = await Promise.all(request.transactions.map((t) => addTransaction(ctx, txn, t, version)));
    return makeAddPartitionsToTxnResponse({ resultsByTransaction: results });
  },
});

async function addTransaction(
  ctx: ServerContext, txn: TransactionCoordinator | undefined, t: AddPartitionsToTxnRequestTransaction, version: number,
): Promise<AddPartitionsToTxnResponseResult> {
  const partitions = t.topics.flatMap((topic) => topic.partitions.map((partition) => ({ topic: topic.name, partition })));
  const answer = (code: (tp: TopicPartitionRef) => number): AddPartitionsToTxnResponseResult =>
    makeAddPartitionsToTxnResponseResult({ transactionalId: t.transactionalId, topicResults: topicResults(t.topics, partitions, code) });
  // Clients (v0-3) need WRITE on the id and on each topic; brokers verifying (v4) CLUSTER_ACTION.
  if (version >= 4 ? !clusterAuthorized(ctx, AclOperation.CLUSTER_ACTION) : !mayWriteTxn(ctx, t.transactionalId)) {
    return answer(() => (version >= 4 ? E.CLUSTER_AUTHORIZATION_FAILED.code : TXN_DENIED));
  }
  const unwritable = new Set(t.topics.filter((topic) => !topicAuthorized(ctx, AclOperation.WRITE, topic.name)).map((topic) => topic.name));
  if (unwritable.size > 0) return answer((tp) => (unwritable.has(tp.topic) ? E.TOPIC_AUTHORIZATION_FAILED.code : E.OPERATION_NOT_ATTEMPTED.code));
  if (txn === undefined) return answer(() => NO_COORDINATOR);
  const missing = new Set(partitions.filter((tp) => !txn.partitionExists(tp.topic, tp.partition)));
  if (missing.size > 0) return answer((tp) => (missing.has(tp) ? E.UNKNOWN_TOPIC_OR_PARTITION.code : E.OPERATION_NOT_ATTEMPTED.code));
  const producer = { transactionalId: t.transactionalId, producerId: t.producerId, producerEpoch: t.producerEpoch, partitions };
  if (t.verifyOnly) {
    const verified = txn.verifyPartitionsInTxn(producer);
    return answer((tp) => verified.get(tp) ?? E.UNKNOWN_SERVER_ERROR.code);
  }
  const errorCode = fencedFor(version, 2, await txn.addPartitionsToTxn(producer).catch((err: unknown) => errorCodeOf(err).errorCode));
  return answer(() => errorCode);
}

/** Per-topic results in the request's order; `flat` holds the request's partitions in that order (so `code` may look them up by identity). */
function topicResults(
  topics: readonly AddPartitionsToTxnRequestTopic[], flat: readonly TopicPartitionRef[], code: (tp: TopicPartitionRef) => number,
): AddPartitionsToTxnResponseTopicResult[] {
  let i = 0;
  return topics.map((topic) => makeAddPartitionsToTxnResponseTopicResult({
    name: topic.name,
    resultsByPartition: topic.partitions.map((partitionIndex) => makeAddPartitionsToTxnResponsePartitionResult({ partitionIndex, partitionErrorCode: code(flat[i++]!) })),
  }));
}

/** AddOffsetsToTxn v0-v3: the group's `__consumer_offsets` partition joins the transaction. */
export const addOffsetsToTxnHandler = defineHandler({
  apiKey: API_KEYS.AddOffsetsToTxn,
  name: 'AddOffsetsToTxn',
  minVersion: 0,
  maxVersion: 3,
  decode: decodeAddOffsetsToTxnRequest,
  encode: encodeAddOffsetsToTxnResponse,
  async handle(ctx, request, header) {
    if (!mayWriteTxn(ctx, request.transactionalId)) return makeAddOffsetsToTxnResponse({ errorCode: TXN_DENIED });
    if (!groupAuthorized(ctx, AclOperation.READ, request.groupId)) return makeAddOffsetsToTxnResponse({ errorCode: E.GROUP_AUTHORIZATION_FAILED.code });
    const txn = transactionCoordinatorOf(ctx.broker);
    if (txn === undefined) return makeAddOffsetsToTxnResponse({ errorCode: NO_COORDINATOR });
    return makeAddOffsetsToTxnResponse({ errorCode: fencedFor(header.apiVersion, 2, await txn.addOffsetsToTxn(request)) });
  },
});

/** EndTxn v0-v3: commits or aborts the open transaction (answered once PrepareCommit/PrepareAbort is persisted). */
export const endTxnHandler = defineHandler({
  apiKey: API_KEYS.EndTxn,
  name: 'EndTxn',
  minVersion: 0,
  maxVersion: 3,
  decode: decodeEndTxnRequest,
  encode: encodeEndTxnResponse,
  async handle(ctx, request, header) {
    if (!mayWriteTxn(ctx, request.transactionalId)) return makeEndTxnResponse({ errorCode: TXN_DENIED });
    const txn = transactionCoordinatorOf(ctx.broker);
    if (txn === undefined) return makeEndTxnResponse({ errorCode: NO_COORDINATOR });
    return makeEndTxnResponse({ errorCode: fencedFor(header.apiVersion, 2, await txn.endTxn(request)) });
  },
});

/** DescribeTransactions v0: state, producer, timeout, start time and partitions of each id this broker coordinates. */
export const describeTransactionsHandler = defineHandler({
  apiKey: API_KEYS.DescribeTransactions,
  name: 'DescribeTransactions',
  minVersion: 0,
  maxVersion: 0,
  decode: decodeDescribeTransactionsRequest,
  encode: encodeDescribeTransactionsResponse,
  handle(ctx, request) {
    const txn = transactionCoordinatorOf(ctx.broker);
    return makeDescribeTransactionsResponse({
      transactionStates: request.transactionalIds.map((transactionalId) => {
        if (!kafkaAuthorized(ctx, AclOperation.DESCRIBE, AclResourceType.TRANSACTIONAL_ID, transactionalId)) {
          return makeDescribeTransactionsResponseTransactionState({ transactionalId, errorCode: TXN_DENIED });
        }
        if (txn === undefined) return makeDescribeTransactionsResponseTransactionState({ transactionalId, errorCode: NO_COORDINATOR });
        try {
          const d = txn.describeTransaction(transactionalId);
          const byTopic = new Map<string, number[]>();
          for (const { topic, partition } of d.partitions) byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition]);
          return makeDescribeTransactionsResponseTransactionState({
            transactionalId, transactionState: d.state, transactionTimeoutMs: d.transactionTimeoutMs, transactionStartTimeMs: BigInt(d.transactionStartTimeMs),
            producerId: d.producerId, producerEpoch: d.producerEpoch,
            topics: [...byTopic].map(([topic, partitions]) => makeDescribeTransactionsResponseTopicData({ topic, partitions })),
          });
        } catch (err) {
          return makeDescribeTransactionsResponseTransactionState({ transactionalId, errorCode: errorCodeOf(err).errorCode });
        }
      }),
    });
  },
});

/** ListTransactions v0: the ids this broker coordinates, filtered by state names (unknown ones reported) and producer ids. */
export const listTransactionsHandler = defineHandler({
  apiKey: API_KEYS.ListTransactions,
  name: 'ListTransactions',
  minVersion: 0,
  maxVersion: 0,
  decode: decodeListTransactionsRequest,
  encode: encodeListTransactionsResponse,
  handle(ctx, request) {
    const txn = transactionCoordinatorOf(ctx.broker);
    if (txn === undefined) return makeListTransactionsResponse({ errorCode: NO_COORDINATOR });
    const listing = txn.listTransactions({ states: request.stateFilters, producerIds: request.producerIdFilters });
    return makeListTransactionsResponse({
      errorCode: listing.errorCode,
      unknownStateFilters: listing.unknownStates,
      transactionStates: listing.transactions.filter((t) => kafkaAuthorized(ctx, AclOperation.DESCRIBE, AclResourceType.TRANSACTIONAL_ID, t.transactionalId)).map((t) => makeListTransactionsResponseTransactionState({
        transactionalId: t.transactionalId, producerId: t.producerId, transactionState: t.state,
      })),
    });
  },
});
