import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { BrokerHarness } from '../../broker/testing/broker-harness.js';
import { KAFKA_ERRORS as E } from '../../errors.js';
import { decodeAddOffsetsToTxnResponse, encodeAddOffsetsToTxnRequest, makeAddOffsetsToTxnRequest } from '../../protocol/addOffsetsToTxn/index.js';
import {
  decodeAddPartitionsToTxnResponse, encodeAddPartitionsToTxnRequest, encodeAddPartitionsToTxnResponse, makeAddPartitionsToTxnRequest,
  makeAddPartitionsToTxnRequestTopic, makeAddPartitionsToTxnRequestTransaction, makeAddPartitionsToTxnResponse,
} from '../../protocol/addPartitionsToTxn/index.js';
import { API_KEYS } from '../../protocol/api-keys.js';
import { decodeDescribeTransactionsResponse, encodeDescribeTransactionsRequest, makeDescribeTransactionsRequest } from '../../protocol/describeTransactions/index.js';
import { decodeEndTxnResponse, encodeEndTxnRequest, makeEndTxnRequest } from '../../protocol/endTxn/index.js';
import { decodeFindCoordinatorResponse, encodeFindCoordinatorRequest, makeFindCoordinatorRequest } from '../../protocol/findCoordinator/index.js';
import { decodeInitProducerIdResponse, encodeInitProducerIdRequest, makeInitProducerIdRequest } from '../../protocol/initProducerId/index.js';
import { decodeListTransactionsResponse, encodeListTransactionsRequest, makeListTransactionsRequest } from '../../protocol/listTransactions/index.js';
import type { Reader } from '../../protocol/primitives/reader.js';
import { KafkaListener } from '../kafka-listener.js';
import { RawKafkaClient } from '../testing/raw-client.js';
import { Writer } from '../../protocol/primitives/writer.js';
import { decodeWithKafkajs, kafkajsProtocol } from '../../protocol/testing/kafkajs.js';

/**
 * The transaction handlers over a real listener and a real broker with its own transaction
 * coordinator and marker path (mock clock): what each version of the wire carries (the
 * coordinator's semantics are specified in txn/*.spec.ts).
 */
let h: BrokerHarness;
let listener: KafkaListener;
let client: RawKafkaClient;

beforeEach(async () => {
  h = await BrokerHarness.start({ transactionStateLogNumPartitions: 3 });
  await h.broker.createTopic({ name: 't', partitions: 2 });
  listener = await KafkaListener.bind({ port: 0 });
  listener.serve(h.broker);
  client = await RawKafkaClient.connect(listener.port);
});

afterEach(async () => {
  client.close();
  await listener.close();
  await h.close();
});

/** Sends one request and decodes the answer, running due timer tasks while it waits. */
async function call<Req, Res>(apiKey: number, version: number, encode: (w: Writer, r: Req, v: number) => unknown, request: Req, decode: (r: Reader, v: number) => Res): Promise<Res> {
  let done = false;
  const response = client.request(apiKey, version, (w) => void encode(w, request, version)).finally(() => (done = true));
  for (let i = 0; i < 200 && !done; i++) {
    h.time.advance(0);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return decode(await response, version);
}

const findCoordinator = (version: number, fields: Parameters<typeof makeFindCoordinatorRequest>[0]) =>
  call(API_KEYS.FindCoordinator, version, encodeFindCoordinatorRequest, makeFindCoordinatorRequest(fields), decodeFindCoordinatorResponse);
const initProducerId = (version: number, fields: Parameters<typeof makeInitProducerIdRequest>[0]) =>
  call(API_KEYS.InitProducerId, version, encodeInitProducerIdRequest, makeInitProducerIdRequest({ transactionTimeoutMs: 60_000, ...fields }), decodeInitProducerIdResponse);
const addPartitions = (version: number, fields: Parameters<typeof makeAddPartitionsToTxnRequest>[0]) =>
  call(API_KEYS.AddPartitionsToTxn, version, encodeAddPartitionsToTxnRequest, makeAddPartitionsToTxnRequest(fields), decodeAddPartitionsToTxnResponse);
const addOffsets = (version: number, fields: Parameters<typeof makeAddOffsetsToTxnRequest>[0]) =>
  call(API_KEYS.AddOffsetsToTxn, version, encodeAddOffsetsToTxnRequest, makeAddOffsetsToTxnRequest(fields), decodeAddOffsetsToTxnResponse);
const endTxn = (version: number, fields: Parameters<typeof makeEndTxnRequest>[0]) =>
  call(API_KEYS.EndTxn, version, encodeEndTxnRequest, makeEndTxnRequest(fields), decodeEndTxnResponse);

async function transactionalProducer(transactionalId: string) {
  const found = await findCoordinator(1, { key: transactionalId, keyType: 1 });
  expect(found).toMatchObject({ errorCode: 0, nodeId: 1 });
  const init = await initProducerId(1, { transactionalId });
  expect(init.errorCode).toBe(0);
  return { transactionalId, producerId: init.producerId, producerEpoch: init.producerEpoch };
}

describe('AddPartitionsToTxn responses to kafkajs', () => {
  it.each([0, 1])('v%i reads in kafkajs, several topics and partitions, and raises the error code of a failed one', async (version) => {
    const { response } = kafkajsProtocol('addPartitionsToTxn', version, {});
    const ok = makeAddPartitionsToTxnResponse({ resultsByTopicV3AndBelow: [
      { name: 'a', resultsByPartition: [{ partitionIndex: 0, partitionErrorCode: 0 }, { partitionIndex: 1, partitionErrorCode: 0 }] },
      { name: 'b', resultsByPartition: [{ partitionIndex: 7, partitionErrorCode: 0 }] },
    ] });
    const decoded = await decodeWithKafkajs(response, encodeAddPartitionsToTxnResponse(new Writer(), ok, version));
    expect(decoded.errors).toEqual([
      { topic: 'a', partitionErrors: [{ partition: 0, errorCode: 0 }, { partition: 1, errorCode: 0 }] },
      { topic: 'b', partitionErrors: [{ partition: 7, errorCode: 0 }] },
    ]);
    const failed = makeAddPartitionsToTxnResponse({ resultsByTopicV3AndBelow: [
      { name: 'a', resultsByPartition: [{ partitionIndex: 0, partitionErrorCode: E.OPERATION_NOT_ATTEMPTED.code }, { partitionIndex: 1, partitionErrorCode: E.UNKNOWN_TOPIC_OR_PARTITION.code }] },
    ] });
    const raw = await response.decode(encodeAddPartitionsToTxnResponse(new Writer(), failed, version).toBuffer());
    await expect(response.parse(raw)).rejects.toMatchObject({ type: 'OPERATION_NOT_ATTEMPTED' });
    expect((raw as { errors: unknown }).errors).toEqual([{ topic: 'a', partitionErrors: [{ partition: 0, errorCode: 55 }, { partition: 1, errorCode: 3 }] }]);
  });
});

describe('FindCoordinator key type 1', () => {
  it('creates __transaction_state and names the leader of the id\'s partition, in v1 and in v4\'s batched form', async () => {
    expect(await findCoordinator(1, { key: 'a', keyType: 1 })).toMatchObject({ errorCode: 0, nodeId: 1, port: 9092 });
    expect(h.broker.describeTopic('__transaction_state').partitions).toHaveLength(3);
    const batched = await findCoordinator(4, { coordinatorKeys: ['a', 'b'], keyType: 1 });
    expect(batched.coordinators.map((c) => [c.key, c.errorCode, c.nodeId])).toEqual([['a', 0, 1], ['b', 0, 1]]);
    expect((await findCoordinator(1, { key: '', keyType: 1 })).errorCode).toBe(E.INVALID_REQUEST.code);
  });
});

describe('a transaction over the wire', () => {
  it('commits: markers land in the partitions, DescribeTransactions and ListTransactions follow it', async () => {
    const p = await transactionalProducer('tx');
    const added = await addPartitions(3, {
      v3AndBelowTransactionalId: 'tx', v3AndBelowProducerId: p.producerId, v3AndBelowProducerEpoch: p.producerEpoch,
      v3AndBelowTopics: [makeAddPartitionsToTxnRequestTopic({ name: 't', partitions: [0, 1] })],
    });
    expect(added.resultsByTopicV3AndBelow).toEqual([{ name: 't', resultsByPartition: [{ partitionIndex: 0, partitionErrorCode: 0 }, { partitionIndex: 1, partitionErrorCode: 0 }] }]);
    await h.broker.groups.findCoordinator('g', 0);
    expect((await addOffsets(1, { ...p, groupId: 'g' })).errorCode).toBe(0);

    const described = await call(API_KEYS.DescribeTransactions, 0, encodeDescribeTransactionsRequest, makeDescribeTransactionsRequest({ transactionalIds: ['tx', 'nobody'] }), decodeDescribeTransactionsResponse);
    expect(described.transactionStates[0]).toMatchObject({ errorCode: 0, transactionalId: 'tx', transactionState: 'Ongoing', producerId: p.producerId, transactionTimeoutMs: 60_000 });
    expect(described.transactionStates[0]!.topics).toEqual(expect.arrayContaining([{ topic: 't', partitions: [0, 1] }]));
    expect(described.transactionStates[1]).toMatchObject({ errorCode: E.TRANSACTIONAL_ID_NOT_FOUND.code, transactionalId: 'nobody' });

    expect((await endTxn(1, { ...p, committed: true })).errorCode).toBe(0);
    const listed = async () => (await call(API_KEYS.ListTransactions, 0, encodeListTransactionsRequest, makeListTransactionsRequest({ stateFilters: ['CompleteCommit', 'Nope'] }), decodeListTransactionsResponse));
    for (let i = 0; i < 50 && (await listed()).transactionStates.length === 0; i++) h.time.advance(100);
    expect(await listed()).toMatchObject({ errorCode: 0, unknownStateFilters: ['Nope'], transactionStates: [{ transactionalId: 'tx', producerId: p.producerId, transactionState: 'CompleteCommit' }] });
    for (const partition of [0, 1]) {
      const hw = h.broker.describeTopic('t').partitions[partition]!.highWatermark;
      expect(await h.broker.countControlRecords('t', partition, 0n, hw)).toBe(1);
    }
  });

  it('answers a fenced producer INVALID_PRODUCER_EPOCH below the versions that know PRODUCER_FENCED', async () => {
    const old = await transactionalProducer('fenced');
    const again = await initProducerId(1, { transactionalId: 'fenced' });
    expect(again.producerEpoch).toBe(old.producerEpoch + 1);
    expect((await endTxn(1, { ...old, committed: true })).errorCode).toBe(E.INVALID_PRODUCER_EPOCH.code);
    expect((await endTxn(2, { ...old, committed: true })).errorCode).toBe(E.PRODUCER_FENCED.code);
    expect((await addOffsets(1, { ...old, groupId: 'g' })).errorCode).toBe(E.INVALID_PRODUCER_EPOCH.code);
    expect((await addOffsets(3, { ...old, groupId: 'g' })).errorCode).toBe(E.PRODUCER_FENCED.code);
    const stale = await initProducerId(3, { transactionalId: 'fenced', producerId: old.producerId + 99n, producerEpoch: 0 });
    expect(stale.errorCode).toBe(E.INVALID_PRODUCER_EPOCH.code);
    expect((await initProducerId(4, { transactionalId: 'fenced', producerId: old.producerId + 99n, producerEpoch: 0 })).errorCode).toBe(E.PRODUCER_FENCED.code);
  });

  it('refuses unknown partitions (the others not attempted) and answers v4 per transaction, verifyOnly without adding', async () => {
    const p = await transactionalProducer('v4');
    const refused = await addPartitions(3, {
      v3AndBelowTransactionalId: 'v4', v3AndBelowProducerId: p.producerId, v3AndBelowProducerEpoch: p.producerEpoch,
      v3AndBelowTopics: [makeAddPartitionsToTxnRequestTopic({ name: 't', partitions: [0, 7] })],
    });
    expect(refused.resultsByTopicV3AndBelow[0]!.resultsByPartition).toEqual([
      { partitionIndex: 0, partitionErrorCode: E.OPERATION_NOT_ATTEMPTED.code }, { partitionIndex: 7, partitionErrorCode: E.UNKNOWN_TOPIC_OR_PARTITION.code },
    ]);
    const topics = [makeAddPartitionsToTxnRequestTopic({ name: 't', partitions: [0, 1] })];
    const verifyBefore = await addPartitions(4, { transactions: [makeAddPartitionsToTxnRequestTransaction({ ...p, verifyOnly: true, topics })] });
    expect(verifyBefore.resultsByTransaction[0]!.topicResults[0]!.resultsByPartition.map((r) => r.partitionErrorCode)).toEqual([E.INVALID_TXN_STATE.code, E.INVALID_TXN_STATE.code]);
    const both = await addPartitions(4, { transactions: [
      makeAddPartitionsToTxnRequestTransaction({ ...p, topics: [makeAddPartitionsToTxnRequestTopic({ name: 't', partitions: [0] })] }),
      makeAddPartitionsToTxnRequestTransaction({ transactionalId: 'unknown', producerId: 5n, producerEpoch: 0, topics }),
    ] });
    expect(both.resultsByTransaction.map((r) => [r.transactionalId, r.topicResults[0]!.resultsByPartition.map((x) => x.partitionErrorCode)])).toEqual([
      ['v4', [0]], ['unknown', [E.INVALID_PRODUCER_ID_MAPPING.code, E.INVALID_PRODUCER_ID_MAPPING.code]],
    ]);
    const verifyAfter = await addPartitions(4, { transactions: [makeAddPartitionsToTxnRequestTransaction({ ...p, verifyOnly: true, topics })] });
    expect(verifyAfter.resultsByTransaction[0]!.topicResults[0]!.resultsByPartition.map((r) => r.partitionErrorCode)).toEqual([0, E.INVALID_TXN_STATE.code]);
  });

  it('gives idempotent producers (no transactional id) a producer id at epoch 0, and refuses a timeout too long', async () => {
    const a = await initProducerId(0, { transactionalId: null });
    const b = await initProducerId(4, { transactionalId: null });
    expect([a.errorCode, a.producerEpoch, b.errorCode, b.producerEpoch]).toEqual([0, 0, 0, 0]);
    expect(b.producerId).not.toBe(a.producerId);
    await findCoordinator(1, { key: 'x', keyType: 1 });
    expect((await initProducerId(2, { transactionalId: 'x', transactionTimeoutMs: 3_600_000 })).errorCode).toBe(E.INVALID_TRANSACTION_TIMEOUT.code);
  });
});
