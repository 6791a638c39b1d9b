import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { kafkaClient, kafkaErrors, noRetryClient } from '../support/kafkajs.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

/**
 * Topic names that would escape the log directory, hide in a file name, overflow a
 * file-name limit or smuggle bytes are refused at both doors before anything is created;
 * the data directory and its parent hold nothing named after them afterwards.
 */
const HOSTILE_NAMES: Record<string, string> = {
  traversal: '../escaped',
  'deep traversal': '../../../../tmp/weir-escaped',
  'dot dot': '..',
  NUL: 'a\u0000b',
  'NUL at end': 'topic\u0000',
  '250 characters': 't'.repeat(250),
  unicode: 'tópico',
  emoji: 'orders-🙂',
  'right-to-left override': 'evil\u202etxt',
  slash: 'a/b',
  backslash: 'a\\b',
  space: 'a b',
  newline: 'a\nb',
};

let gw: TestGateway;
let clusterId: string;
let parentBefore: string[];

beforeAll(async () => {
  gw = await startTestGateway();
  parentBefore = readdirSync(dirname(gw.dataDir));
  clusterId = ((await (await fetch(`${gw.baseUrl}/v3/clusters`)).json()) as { data: Array<{ cluster_id: string }> }).data[0]!.cluster_id;
}, 60_000);

afterAll(async () => {
  await gw?.close();
});

function allNames(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? [e.name, ...allNames(join(dir, e.name))] : [e.name]));
}

describe.each(Object.entries(HOSTILE_NAMES))('a topic named with %s', (_label, name) => {
  it('is refused by REST create with a Confluent 400', async () => {
    const res = await fetch(`${gw.baseUrl}/v3/clusters/${clusterId}/topics`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ topic_name: name, partitions_count: 1 }),
    });
    const body = (await res.json()) as { error_code: number; message: string };
    expect(res.status).toBe(400);
    expect(typeof body.error_code).toBe('number');
    expect(body.message).toMatch(/topic/i);
  });

  it('is refused by REST produce and read, which name it in the path', async () => {
    const path = `/v3/clusters/${clusterId}/topics/${encodeURIComponent(name)}`;
    const produce = await fetch(`${gw.baseUrl}${path}/records`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ value: { type: 'STRING', data: 'x' } }) });
    expect([400, 404]).toContain(produce.status);
    const read = await fetch(`${gw.baseUrl}${path}/partitions/0/records`);
    expect([400, 404]).toContain(read.status);
  });

  it('is refused by Kafka CreateTopics with INVALID_TOPIC_EXCEPTION', async () => {
    const admin = noRetryClient(gw.bootstrap).admin();
    await admin.connect();
    try {
      const err = await admin.createTopics({ topics: [{ topic: name, numPartitions: 1 }], waitForLeaders: false }).then(() => undefined, (e: unknown) => e);
      expect(kafkaErrors(err).map((e) => e.type)).toContain('INVALID_TOPIC_EXCEPTION');
    } finally {
      await admin.disconnect();
    }
  });

  it('is not auto-created by a producer', async () => {
    const producer = noRetryClient(gw.bootstrap).producer({ allowAutoTopicCreation: true });
    await producer.connect();
    try {
      const err = await producer.send({ topic: name, messages: [{ value: 'x' }] }).then(() => undefined, (e: unknown) => e);
      expect(err).toBeDefined();
    } finally {
      await producer.disconnect();
    }
  });
});

it('leaves nothing named after the refused topics, inside or beside the data dir', async () => {
  const admin = kafkaClient(gw.bootstrap).admin();
  await admin.connect();
  try {
    const topics = await admin.listTopics();
    for (const name of Object.values(HOSTILE_NAMES)) expect(topics).not.toContain(name);
  } finally {
    await admin.disconnect();
  }
  const names = allNames(gw.dataDir);
  for (const name of Object.values(HOSTILE_NAMES)) {
    expect(names.filter((n) => n.startsWith(name.replace(/^(\.\.\/)+/, '')))).toEqual([]);
  }
  expect(readdirSync(dirname(gw.dataDir)).filter((n) => !parentBefore.includes(n) && /escaped/.test(n))).toEqual([]);
});
