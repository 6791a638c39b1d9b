import { connect } from 'node:net';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { kafkaClient } from '../support/kafkajs.js';

/** The Kafka listener's counters on /metrics (labelled by broker), next to the HTTP ones. */
describe('Kafka listener metrics', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startTestGateway();
  }, 60_000);
  afterAll(async () => gw?.close(), 30_000);

  const scrape = async (): Promise<string> => (await fetch(`${gw.baseUrl}/metrics`)).text();
  const value = (text: string, series: string): number => {
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line === undefined ? 0 : Number(line.slice(series.length + 1));
  };

  // The test gateway hosts broker 1 alone.
  const b = 'broker="1"';

  it('counts requests by API, connections, and connections closed for broken protocol', async () => {
    const before = await scrape();
    const admin = kafkaClient(gw.bootstrap).admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic: 'metered-wire', numPartitions: 1 }] });
      const during = await scrape();
      expect(value(during, `weir_kafka_connections{${b}}`)).toBeGreaterThanOrEqual(1);
    } finally {
      await admin.disconnect();
    }
    // A frame whose size prefix is negative: the listener closes the connection.
    await new Promise<void>((resolve, reject) => {
      const socket = connect({ port: gw.kafkaPort, host: '127.0.0.1' }, () => socket.write(Buffer.from([0xff, 0xff, 0xff, 0xff])));
      socket.on('close', () => resolve());
      socket.on('error', reject);
    });
    const after = await scrape();
    expect(value(after, `weir_kafka_requests_total{${b},api="ApiVersions"}`)).toBeGreaterThan(value(before, `weir_kafka_requests_total{${b},api="ApiVersions"}`));
    expect(value(after, `weir_kafka_requests_total{${b},api="CreateTopics"}`)).toBe(value(before, `weir_kafka_requests_total{${b},api="CreateTopics"}`) + 1);
    expect(value(after, `weir_kafka_connections_accepted_total{${b}}`)).toBeGreaterThanOrEqual(value(before, `weir_kafka_connections_accepted_total{${b}}`) + 2);
    expect(value(after, `weir_kafka_protocol_errors_total{${b}}`)).toBe(value(before, `weir_kafka_protocol_errors_total{${b}}`) + 1);
  }, 30_000);
});
