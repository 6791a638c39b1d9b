import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createServer, type AddressInfo } from 'node:net';
import type { AppendEntry } from '../broker/broker-api.js';
import { expectCode, expectKafkaError } from '../broker/testing/expect-error.js';
import type { KafkaErrorName } from '../errors.js';
import { createTopicOps } from '../broker/topic-znodes.js';
import { track, turn, until } from '../kafka-client/testing/wait.js';
import { ScriptedKafkaServer } from '../kafka-client/testing/scripted-server.js';
import { encodeRecordBatch } from '../log/batch/record-batch-encoder.js';
import { RecordingLogger } from '../log/testing/log-fixtures.js';
import { API_KEYS } from '../protocol/api-keys.js';
import { decodeFetchRequest } from '../protocol/fetch/index.js';
import { decodeProduceRequest } from '../protocol/produce/index.js';
import { BrokerIdZNode, KAFKA_PERSISTENT_PATHS, KafkaPaths } from '../registry/kafka-znodes.js';
import { InMemoryRegistryStore } from '../registry/memory-store.js';
import { Registry } from '../registry/registry.js';
import { MockTime } from '../time.js';
import { MockTimer } from '../timer/mock-timer.js';
import { RemotePartitions } from './remote-partitions.js';

/** Brokers as the registry names them: 7 is not registered, 8 listens on a closed port, 9 never answers. */
const UNREGISTERED = 7;
const REFUSING = 8;
const SILENT = 9;
const REQUEST_TIMEOUT_MS = 1000;
const MAX_LEADER_WAIT_MS = 2000;

/**
 * What a caller gets when a leader cannot answer: partitions without a leader, leaders
 * that are not registered or refuse connections, a leader that never answers (its
 * timeouts driven on a mock timer), the registry not knowing the topic at all. The
 * registry is written by hand, as the controller would have left it.
 */
let registry: Registry;
let silent: ScriptedKafkaServer;
/** Produce and Fetch requests the silent leader received, decoded. */
let received: { apiKey: number; acks?: number; timeoutMs?: number; maxWaitMs?: number }[];
let time: MockTime;
let timer: MockTimer;
let logger: RecordingLogger;
let remote: RemotePartitions;

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

async function register(brokerId: number, port: number): Promise<void> {
  await registry.create(KafkaPaths.brokerId(brokerId), BrokerIdZNode.encode({
    host: '127.0.0.1', port, endpoints: [`PLAINTEXT://127.0.0.1:${port}`], listenerSecurityProtocolMap: { PLAINTEXT: 'PLAINTEXT' }, jmxPort: -1, timestampMs: 0,
  }));
}

/** A topic with one partition per leader given (-1: no leader). */
async function topic(name: string, leaders: number[]): Promise<void> {
  const assignment = new Map(leaders.map((leader, p) => [p, [leader < 0 ? 1 : leader]]));
  const states = new Map(leaders.map((leader, p) => [p, { controllerEpoch: 1, leader, leaderEpoch: 0, isr: leader < 0 ? [] : [leader] }]));
  await registry.multi(createTopicOps(name, `id-of-${name}`, assignment, states, {}));
}

beforeAll(async () => {
  registry = await Registry.open({ store: new InMemoryRegistryStore() });
  for (const path of KAFKA_PERSISTENT_PATHS) await registry.create(path);
  silent = await ScriptedKafkaServer.start(({ header, body }) => {
    if (header.apiKey === API_KEYS.Produce) {
      const { acks, timeoutMs } = decodeProduceRequest(body, header.apiVersion);
      received.push({ apiKey: header.apiKey, acks, timeoutMs });
    } else if (header.apiKey === API_KEYS.Fetch) {
      received.push({ apiKey: header.apiKey, maxWaitMs: decodeFetchRequest(body, header.apiVersion).maxWaitMs });
    }
    return { hang: true };
  });
  await register(REFUSING, await closedPort());
  await register(SILENT, silent.port);
  await topic('offline', [-1]);
  await topic('unregistered', [UNREGISTERED]);
  await topic('refusing', [REFUSING]);
  await topic('silent', [SILENT, SILENT]);
  await topic('mixed', [SILENT, -1, REFUSING]);
});

afterAll(async () => {
  await silent.close();
  await registry.close();
});

beforeEach(() => {
  received = [];
  time = new MockTime();
  timer = new MockTimer(time);
  logger = new RecordingLogger();
  remote = new RemotePartitions({ registry, timer, logger, clientId: 'rest', requestTimeoutMs: REQUEST_TIMEOUT_MS, maxLeaderWaitMs: MAX_LEADER_WAIT_MS, time });
});

afterEach(() => {
  remote.close();
  timer.close();
});

/**
 * Settles `promise` while moving the mock clock on: after a failed connection, the next
 * attempt to that broker waits out a reconnect backoff on the timer.
 */
async function driven<T>(promise: Promise<T>): Promise<T> {
  const tracked = track(promise);
  const deadline = Date.now() + 10_000;
  while (!tracked.settled() && Date.now() < deadline) {
    await turn();
    time.advance(10);
  }
  return tracked.promise;
}

const entry = (topicName: string, partition: number): AppendEntry => ({ topic: topicName, partition, records: encodeRecordBatch({ records: [{ value: Buffer.from('v') }] }) });
const fetchOf = (topicName: string, partition: number) => ({ topic: topicName, partition, fetchOffset: 0n, maxBytes: 1024 });

describe.each<[string, string, KafkaErrorName, number]>([
  ['a topic the registry does not hold', 'nowhere', 'UNKNOWN_TOPIC_OR_PARTITION', 0],
  ['a partition the topic does not have', 'offline', 'UNKNOWN_TOPIC_OR_PARTITION', 5],
  ['a partition without a leader', 'offline', 'LEADER_NOT_AVAILABLE', 0],
  ['a leader that is not registered', 'unregistered', 'NOT_LEADER_OR_FOLLOWER', 0],
  ['a leader that refuses connections', 'refusing', 'NOT_LEADER_OR_FOLLOWER', 0],
])('%s', (_what, name, error, partition) => {
  it(`answers ${error} per partition and throws it for single-partition calls`, async () => {
    const [appended] = await driven(remote.appendRecords([entry(name, partition)], { acks: 1, timeoutMs: 100 }));
    expectCode(appended!, error);
    expect(appended!.errorMessage).toEqual(expect.any(String));
    expectCode((await driven(remote.fetch([fetchOf(name, partition)])))[0]!, error);
    await expectKafkaError(driven(remote.listOffset(name, partition, -1n)), error);
    await expectKafkaError(driven(remote.readRecords(name, partition, { start: { position: 'oldest' } })), error);
    await expectKafkaError(driven(remote.deleteRecords(name, partition, 0n)), error);
    await expectKafkaError(driven(remote.partitionOffsets(name, partition)), error);
    expect(remote.leaderOf(name, partition)).toBe(error === 'NOT_LEADER_OR_FOLLOWER' ? (name === 'refusing' ? REFUSING : UNREGISTERED) : undefined);
  });
});

describe('a leader that never answers', () => {
  it('times a quick request out at requestTimeoutMs on the timer', async () => {
    const asked = silent.requests.length;
    const offsets = track(remote.listOffset('silent', 0, -2n));
    await until(() => silent.requests.length === asked + 1, 'the request at the leader');
    time.advance(REQUEST_TIMEOUT_MS - 1);
    await turn();
    expect(offsets.settled()).toBe(false);
    time.advance(1);
    await expectKafkaError(offsets.promise, 'REQUEST_TIMED_OUT');
  });

  it('asks the leader to wait at most maxLeaderWaitMs, and times produces and long polls out after that plus requestTimeoutMs', async () => {
    const [asked, accepted] = [silent.requests.length, silent.accepted];
    const appended = track(remote.appendRecords([entry('silent', 1), entry('silent', 0)], { acks: -1, timeoutMs: 60_000 }));
    const polled = track(remote.fetch([fetchOf('silent', 0)], { maxWaitMs: 60_000 }));
    // Each on a connection of its own: a parked produce does not hold up a long poll, nor either a quick request.
    const quick = track(remote.listOffset('silent', 1, -1n));
    await until(() => silent.requests.length === asked + 3, 'three requests at the leader');
    expect(silent.accepted).toBe(accepted + 3);
    expect(received).toEqual(expect.arrayContaining([
      { apiKey: API_KEYS.Produce, acks: -1, timeoutMs: MAX_LEADER_WAIT_MS },
      { apiKey: API_KEYS.Fetch, maxWaitMs: MAX_LEADER_WAIT_MS },
    ]));
    time.advance(REQUEST_TIMEOUT_MS);
    await expectKafkaError(quick.promise, 'REQUEST_TIMED_OUT');
    time.advance(MAX_LEADER_WAIT_MS - 1);
    await turn();
    expect(appended.settled() || polled.settled()).toBe(false);
    time.advance(1);
    expect((await appended.promise).map((r) => [r.partition, r.errorCode])).toEqual([[1, 7], [0, 7]]);
    expect((await polled.promise).map((r) => [r.partition, r.errorCode])).toEqual([[0, 7]]);
    expect(logger.warnings.join('\n')).toMatch(/broker 9 failed: REQUEST_TIMED_OUT/);
  });

  it('forwards acks=0 as acks=1, so that there is an answer to wait for', async () => {
    void remote.appendRecords([entry('silent', 0)], { acks: 0, timeoutMs: 100 });
    await until(() => received.length === 1, 'the produce at the leader');
    expect(received).toEqual([{ apiKey: API_KEYS.Produce, acks: 1, timeoutMs: 100 }]);
  });

  it('answers a call spanning leaders per partition, in call order, each with its own error', async () => {
    const asked = silent.requests.length;
    const results = track(remote.appendRecords([entry('mixed', 2), entry('mixed', 0), entry('mixed', 1), entry('mixed', 4)], { acks: 1, timeoutMs: 100 }));
    await until(() => silent.requests.length === asked + 1, 'the produce at the silent leader');
    time.advance(REQUEST_TIMEOUT_MS + MAX_LEADER_WAIT_MS);
    const codes = (await results.promise).map((r) => [r.partition, r.errorCode]);
    expect(codes).toEqual([[2, 6], [0, 7], [1, 5], [4, 3]]);
  });
});
