import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { BrokerHarness } from '../broker/testing/broker-harness.js';
import { API_KEYS } from '../protocol/api-keys.js';
import { decodeCreateTopicsResponse, encodeCreateTopicsRequest, makeCreateTopicsRequest, makeCreateTopicsRequestCreatableTopic } from '../protocol/createTopics/index.js';
import { decodeDeleteTopicsResponse, encodeDeleteTopicsRequest, makeDeleteTopicsRequest } from '../protocol/deleteTopics/index.js';
import {
  decodeIncrementalAlterConfigsResponse, encodeIncrementalAlterConfigsRequest, makeIncrementalAlterConfigsRequest,
  makeIncrementalAlterConfigsRequestAlterableConfig, makeIncrementalAlterConfigsRequestAlterConfigsResource,
} from '../protocol/incrementalAlterConfigs/index.js';
import type { Reader } from '../protocol/primitives/reader.js';
import type { Writer } from '../protocol/primitives/writer.js';
import type { AuditEvent } from '../security/audit.js';
import { withAdminAudit } from './admin-audit.js';
import { API_HANDLERS } from './handlers/index.js';
import { KafkaListener } from './kafka-listener.js';
import { RawKafkaClient } from './testing/raw-client.js';

/** The Kafka door's audit over a real listener and broker, the events collected as the gateway's writer would receive them. */
let h: BrokerHarness;
let listener: KafkaListener;
let client: RawKafkaClient;
let events: AuditEvent[];

beforeEach(async () => {
  events = [];
  h = await BrokerHarness.start();
  listener = await KafkaListener.bind({ port: 0, audit: { record: (e) => events.push(e) } });
  listener.serve(h.broker);
  client = await RawKafkaClient.connect(listener.port);
});

afterEach(async () => {
  client.close();
  await listener.close();
  await h.close();
});

async function call<Req, Res>(apiKey: number, version: number, encode: (w: Writer, r: Req, v: number) => unknown, request: Req, decode: (r: Reader, v: number) => Res): Promise<Res> {
  return decode(await client.request(apiKey, version, (w) => void encode(w, request, version)), version);
}

const createTopic = (name: string, validateOnly = false) =>
  call(API_KEYS.CreateTopics, 5, encodeCreateTopicsRequest, makeCreateTopicsRequest({
    validateOnly,
    topics: [makeCreateTopicsRequestCreatableTopic({ name, numPartitions: 2, replicationFactor: 1, configs: [{ name: 'retention.ms', value: '60000' }] })],
  }), decodeCreateTopicsResponse);

describe('withAdminAudit', () => {
  it('leaves the data-plane and read APIs unwrapped', () => {
    for (const h of API_HANDLERS.filter((x) => [API_KEYS.Produce, API_KEYS.Fetch, API_KEYS.Metadata, API_KEYS.OffsetCommit].includes(x.apiKey as never))) {
      expect(withAdminAudit(h)).toBe(h);
    }
  });

  it('CreateTopics: one event per topic with the principal, source and the topic as created; validateOnly none', async () => {
    await createTopic('orders', true);
    expect(events).toEqual([]);
    expect((await createTopic('orders')).topics[0]!.errorCode).toBe(0);
    expect(events).toEqual([{
      actor: 'ANONYMOUS', door: 'kafka', source: '127.0.0.1', action: 'topic.create', resource: 'topic:orders', result: 'success',
      after: { partitions: 2, replication_factor: 1, configs: { 'retention.ms': '60000' } },
    }]);
    await createTopic('orders');
    expect(events[1]).toMatchObject({ action: 'topic.create', result: 'failure', error: 'TOPIC_ALREADY_EXISTS' });
    expect(events[1]).not.toHaveProperty('after');
  });

  it('IncrementalAlterConfigs: the values before and after for a topic; a refused broker change is a failure', async () => {
    await createTopic('orders');
    events.length = 0;
    const response = await call(API_KEYS.IncrementalAlterConfigs, 1, encodeIncrementalAlterConfigsRequest, makeIncrementalAlterConfigsRequest({
      resources: [
        makeIncrementalAlterConfigsRequestAlterConfigsResource({ resourceType: 2, resourceName: 'orders', configs: [makeIncrementalAlterConfigsRequestAlterableConfig({ name: 'retention.ms', configOperation: 0, value: '120000' })] }),
        makeIncrementalAlterConfigsRequestAlterConfigsResource({ resourceType: 4, resourceName: '1', configs: [makeIncrementalAlterConfigsRequestAlterableConfig({ name: 'log.retention.ms', configOperation: 0, value: '1' })] }),
      ],
    }), decodeIncrementalAlterConfigsResponse);
    expect(response.responses.map((r) => r.errorCode === 0)).toEqual([true, false]);
    expect(events).toEqual([
      expect.objectContaining({ action: 'topic.configs.alter', resource: 'topic:orders', before: { 'retention.ms': '60000' }, after: { 'retention.ms': '120000' }, result: 'success' }),
      expect.objectContaining({ action: 'broker.configs.alter', resource: 'broker:1', result: 'failure', error: 'INVALID_REQUEST' }),
    ]);
  });

  it('DeleteTopics: the shape before; an unknown topic is a failure', async () => {
    await createTopic('orders');
    events.length = 0;
    await call(API_KEYS.DeleteTopics, 1, encodeDeleteTopicsRequest, makeDeleteTopicsRequest({ topicNames: ['orders', 'missing'], timeoutMs: 1000 }), decodeDeleteTopicsResponse);
    expect(events.map((e) => [e.resource, e.result, e.before, e.error])).toEqual([
      ['topic:orders', 'success', { partitions: 2, replication_factor: 1 }, undefined],
      ['topic:missing', 'failure', undefined, 'UNKNOWN_TOPIC_OR_PARTITION'],
    ]);
  });

  it('without a sink the handlers answer as before and nothing is recorded', async () => {
    const plain = await KafkaListener.bind({ port: 0 });
    plain.serve(h.broker);
    const other = await RawKafkaClient.connect(plain.port);
    try {
      const response = decodeCreateTopicsResponse(await other.request(API_KEYS.CreateTopics, 5, (w) => void encodeCreateTopicsRequest(w, makeCreateTopicsRequest({
        topics: [makeCreateTopicsRequestCreatableTopic({ name: 'quiet', numPartitions: 1, replicationFactor: 1 })],
      }), 5)), 5);
      expect(response.topics[0]!.errorCode).toBe(0);
      expect(events).toEqual([]);
    } finally {
      other.close();
      await plain.close();
    }
  });
});
