import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { BrokerHarness } from '../broker/testing/broker-harness.js';
import { API_KEYS } from '../protocol/api-keys.js';
import { decodeFetchResponse, encodeFetchRequest, makeFetchRequest, makeFetchRequestPartition, makeFetchRequestTopic, type FetchResponse } from '../protocol/fetch/index.js';
import { KafkaListener } from './kafka-listener.js';
import { RawKafkaClient } from './testing/raw-client.js';

const VERSION = 11;

/** Lets socket and promise callbacks run; no time passes on the broker's mock clock. */
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met within 10 s');
    await turn();
  }
}

/**
 * Long-polling over the wire, on the broker's mock clock: a Fetch with max_wait_ms=5000
 * is answered as soon as data arrives (no time passes at all), or, without data, when
 * exactly 5000 ms have passed on the broker's timer.
 */
describe('Fetch long-poll over the Kafka protocol', () => {
  let h: BrokerHarness;
  let listener: KafkaListener;
  let client: RawKafkaClient;

  beforeEach(async () => {
    h = await BrokerHarness.start();
    await h.broker.createTopic({ name: 'lp', partitions: 1 });
    listener = await KafkaListener.bind({ port: 0 });
    listener.serve(h.broker);
    client = await RawKafkaClient.connect(listener.port);
  });
  afterEach(async () => {
    client.close();
    await listener.close();
    await h.close();
  });

  function longPoll(): { response: Promise<FetchResponse>; answered: () => boolean } {
    let done = false;
    const request = makeFetchRequest({
      maxWaitMs: 5000,
      minBytes: 1,
      topics: [makeFetchRequestTopic({ topic: 'lp', partitions: [makeFetchRequestPartition({ partition: 0, fetchOffset: 0n, partitionMaxBytes: 1 << 20 })] })],
    });
    const response = client.request(API_KEYS.Fetch, VERSION, (w) => encodeFetchRequest(w, request, VERSION)).then((body) => {
      done = true;
      return decodeFetchResponse(body, VERSION);
    });
    return { response, answered: () => done };
  }

  it('returns as soon as data arrives, without waiting out max_wait_ms', async () => {
    const start = h.time.milliseconds();
    const poll = longPoll();
    await until(() => listener.inFlightRequestCount === 1);
    h.time.advance(1000);
    await turn();
    expect(poll.answered()).toBe(false);
    await h.broker.produce('lp', [{ partition: 0, key: null, value: Buffer.from('now') }]);
    const response = await poll.response;
    const partition = response.responses[0]!.partitions[0]!;
    expect(partition.highWatermark).toBe(1n);
    expect(partition.records!.length).toBeGreaterThan(0);
    // Answered 1 s into the 5 s wait on the broker's clock: the append woke it.
    expect(h.time.milliseconds() - start).toBe(1000);
  });

  it('returns empty when max_wait_ms runs out with no data, not before', async () => {
    const poll = longPoll();
    await until(() => listener.inFlightRequestCount === 1);
    h.time.advance(4999);
    for (let i = 0; i < 5; i++) await turn();
    expect(poll.answered()).toBe(false);
    h.time.advance(1);
    const response = await poll.response;
    const partition = response.responses[0]!.partitions[0]!;
    expect(partition.errorCode).toBe(0);
    expect(partition.highWatermark).toBe(0n);
    expect(partition.records!.length).toBe(0);
  });
});
