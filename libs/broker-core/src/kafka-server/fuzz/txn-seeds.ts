import { API_KEYS } from '../../protocol/api-keys.js';
import { encodeAddOffsetsToTxnRequest, makeAddOffsetsToTxnRequest } from '../../protocol/addOffsetsToTxn/index.js';
import {
  encodeAddPartitionsToTxnRequest, makeAddPartitionsToTxnRequest, makeAddPartitionsToTxnRequestTopic, makeAddPartitionsToTxnRequestTransaction,
} from '../../protocol/addPartitionsToTxn/index.js';
import { encodeDescribeProducersRequest, makeDescribeProducersRequest, makeDescribeProducersRequestTopicRequest } from '../../protocol/describeProducers/index.js';
import { encodeDescribeTransactionsRequest, makeDescribeTransactionsRequest } from '../../protocol/describeTransactions/index.js';
import { encodeEndTxnRequest, makeEndTxnRequest } from '../../protocol/endTxn/index.js';
import { encodeInitProducerIdRequest, makeInitProducerIdRequest } from '../../protocol/initProducerId/index.js';
import { encodeListTransactionsRequest, makeListTransactionsRequest } from '../../protocol/listTransactions/index.js';
import {
  encodeTxnOffsetCommitRequest, makeTxnOffsetCommitRequest, makeTxnOffsetCommitRequestPartition, makeTxnOffsetCommitRequestTopic,
} from '../../protocol/txnOffsetCommit/index.js';
import {
  encodeWriteTxnMarkersRequest, makeWriteTxnMarkersRequest, makeWriteTxnMarkersRequestWritableTxnMarker, makeWriteTxnMarkersRequestWritableTxnMarkerTopic,
} from '../../protocol/writeTxnMarkers/index.js';
import type { Rng } from './random.js';
import { bool, count, int32, int64, partition, text, times, topicName, wide, type SeedBuilder, type SeedContext } from './seeds.js';

/**
 * Seeds for the transaction APIs. Transactional ids and producer ids come mostly from a
 * few values, so that frames meet each other's transactions (an InitProducerId, then
 * AddPartitions, EndTxn and markers for the same id); the rest are random, to reach
 * INVALID_PRODUCER_ID_MAPPING, PRODUCER_FENCED and the other refusals. Timeouts stay within
 * what the coordinator accepts most of the time, so its timeout task has work to do.
 */
const TXN_IDS = ['fuzz-txn', 'fuzz-txn-2'];

function transactionalId(rng: Rng): string {
  return rng.weighted([[10, () => rng.pick(TXN_IDS)], [1, () => ''], [1, () => text(rng)]])();
}

function producerId(rng: Rng): bigint {
  return rng.weighted([[6, () => BigInt(rng.range(0, 3))], [2, () => -1n], [1, () => int64(rng)]])();
}

function producerEpoch(rng: Rng): number {
  return rng.weighted([[6, () => rng.range(0, 3)], [2, () => -1], [1, () => rng.range(-32768, 32767)]])();
}

function txnPartitions(rng: Rng, ctx: SeedContext): { name: string; partitions: number[] }[] {
  return times(count(rng, 2), () => ({ name: topicName(rng, ctx), partitions: wide(rng, () => partition(rng)) }));
}

const initProducerId: SeedBuilder = (rng, v, _ctx, out) => {
  encodeInitProducerIdRequest(out, makeInitProducerIdRequest({
    transactionalId: rng.chance(0.4) ? null : transactionalId(rng),
    transactionTimeoutMs: rng.weighted([[6, () => rng.range(1_000, 60_000)], [1, () => int32(rng)]])(),
    producerId: producerId(rng), producerEpoch: producerEpoch(rng),
  }), v);
};

const addPartitionsToTxn: SeedBuilder = (rng, v, ctx, out) => {
  const topics = txnPartitions(rng, ctx).map((t) => makeAddPartitionsToTxnRequestTopic(t));
  encodeAddPartitionsToTxnRequest(out, v >= 4
    ? makeAddPartitionsToTxnRequest({
      transactions: times(count(rng, 2), () => makeAddPartitionsToTxnRequestTransaction({
        transactionalId: transactionalId(rng), producerId: producerId(rng), producerEpoch: producerEpoch(rng), verifyOnly: bool(rng), topics,
      })),
    })
    : makeAddPartitionsToTxnRequest({
      v3AndBelowTransactionalId: transactionalId(rng), v3AndBelowProducerId: producerId(rng), v3AndBelowProducerEpoch: producerEpoch(rng), v3AndBelowTopics: topics,
    }), v);
};

const addOffsetsToTxn: SeedBuilder = (rng, v, _ctx, out) => {
  encodeAddOffsetsToTxnRequest(out, makeAddOffsetsToTxnRequest({
    transactionalId: transactionalId(rng), producerId: producerId(rng), producerEpoch: producerEpoch(rng), groupId: rng.pick(['fuzz-group', 'fuzz-txn-group', '']),
  }), v);
};

const endTxn: SeedBuilder = (rng, v, _ctx, out) => {
  encodeEndTxnRequest(out, makeEndTxnRequest({ transactionalId: transactionalId(rng), producerId: producerId(rng), producerEpoch: producerEpoch(rng), committed: bool(rng) }), v);
};

const writeTxnMarkers: SeedBuilder = (rng, v, ctx, out) => {
  encodeWriteTxnMarkersRequest(out, makeWriteTxnMarkersRequest({
    markers: times(count(rng, 2), () => makeWriteTxnMarkersRequestWritableTxnMarker({
      producerId: producerId(rng), producerEpoch: producerEpoch(rng), transactionResult: bool(rng), coordinatorEpoch: rng.range(-1, 5),
      topics: txnPartitions(rng, ctx).map((t) => makeWriteTxnMarkersRequestWritableTxnMarkerTopic({ name: t.name, partitionIndexes: t.partitions })),
    })),
  }), v);
};

const txnOffsetCommit: SeedBuilder = (rng, v, ctx, out) => {
  encodeTxnOffsetCommitRequest(out, makeTxnOffsetCommitRequest({
    transactionalId: transactionalId(rng), groupId: rng.pick(['fuzz-group', 'fuzz-txn-group', '']), producerId: producerId(rng), producerEpoch: producerEpoch(rng),
    generationId: rng.weighted([[4, -1], [1, int32(rng)]]), memberId: rng.chance(0.7) ? '' : text(rng), groupInstanceId: null,
    topics: times(count(rng, 2), () => makeTxnOffsetCommitRequestTopic({
      name: topicName(rng, ctx),
      partitions: wide(rng, () => makeTxnOffsetCommitRequestPartition({
        partitionIndex: partition(rng), committedOffset: rng.weighted([[4, () => BigInt(rng.range(0, 100))], [1, () => int64(rng)]])(),
        committedLeaderEpoch: -1, committedMetadata: rng.chance(0.8) ? '' : text(rng),
      })),
    })),
  }), v);
};

const describeProducers: SeedBuilder = (rng, v, ctx, out) => {
  encodeDescribeProducersRequest(out, makeDescribeProducersRequest({
    topics: times(count(rng, 2), () => makeDescribeProducersRequestTopicRequest({ name: topicName(rng, ctx), partitionIndexes: wide(rng, () => partition(rng)) })),
  }), v);
};

const describeTransactions: SeedBuilder = (rng, v, _ctx, out) => {
  encodeDescribeTransactionsRequest(out, makeDescribeTransactionsRequest({ transactionalIds: wide(rng, () => transactionalId(rng)) }), v);
};

const listTransactions: SeedBuilder = (rng, v, _ctx, out) => {
  const states = ['Ongoing', 'Empty', 'CompleteCommit', 'PrepareAbort', 'bogus'];
  encodeListTransactionsRequest(out, makeListTransactionsRequest({
    stateFilters: rng.chance(0.5) ? [] : times(count(rng, 2), () => rng.pick(states)),
    producerIdFilters: rng.chance(0.6) ? [] : times(count(rng, 2), () => producerId(rng)),
  }), v);
};

/** Seed builders of the transaction APIs (the coordinator's, markers, the admin views), merged into SEED_BUILDERS. */
export const TXN_SEED_BUILDERS: ReadonlyMap<number, SeedBuilder> = new Map([
  [API_KEYS.InitProducerId, initProducerId],
  [API_KEYS.AddPartitionsToTxn, addPartitionsToTxn],
  [API_KEYS.AddOffsetsToTxn, addOffsetsToTxn],
  [API_KEYS.EndTxn, endTxn],
  [API_KEYS.WriteTxnMarkers, writeTxnMarkers],
  [API_KEYS.TxnOffsetCommit, txnOffsetCommit],
  [API_KEYS.DescribeProducers, describeProducers],
  [API_KEYS.DescribeTransactions, describeTransactions],
  [API_KEYS.ListTransactions, listTransactions],
]);
