import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrokerApi } from '@weir/broker-core';
import { BROKER } from '../../apps/gateway/src/broker/broker.module.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { consumeFormatted, KCAT_TEST_MS, kcatMissing, kcatOk, RECORD_FORMAT, parseRecords, type KcatRecord } from '../support/kcat.js';
import { kcatRecords, restRecords, sent, type SeenRecord } from './read-back.js';

const KCAT_MISSING = kcatMissing();
if (KCAT_MISSING !== undefined) console.warn(KCAT_MISSING);
const describeWithKcat = KCAT_MISSING === undefined ? describe : describe.skip;

const T0 = 1_700_000_000_000;
/** librdkafka's compression codec ids, as in a batch's attributes. */
const CODECS = { gzip: 1, snappy: 2, lz4: 3, zstd: 4 } as const;

/** The compression codec of each batch in stored record-set bytes (v2 batches: length at 8, attributes at 21). */
function batchCodecs(records: Buffer): number[] {
  const codecs: number[] = [];
  for (let pos = 0; pos + 23 <= records.length; pos += 12 + records.readInt32BE(pos + 8)) codecs.push(records.readInt16BE(pos + 21) & 0x07);
  return codecs;
}

describeWithKcat('kcat (librdkafka) against the Kafka listener', () => {
  let gw: TestGateway;
  let broker: BrokerApi;
  let files: string;
  const kcat = (args: readonly string[], stdin?: string | Buffer) => kcatOk(['-b', gw.bootstrap, ...args], { stdin });

  beforeAll(async () => {
    gw = await startTestGateway();
    broker = gw.get<BrokerApi>(BROKER);
    files = mkdtempSync(join(tmpdir(), 'weir-kcat-'));
    await broker.createTopic({ name: 'listed', partitions: 3 });
    await broker.createTopic({ name: 'typed', partitions: 2 });
    await broker.createTopic({ name: 'timeline', partitions: 1 });
    await broker.createTopic({ name: 'binary', partitions: 1 });
    for (const codec of Object.keys(CODECS)) await broker.createTopic({ name: `kcat-${codec}`, partitions: 2 });
  }, 60_000);

  afterAll(async () => {
    await gw?.close();
    if (files !== undefined) rmSync(files, { recursive: true, force: true });
  }, 30_000);

  /** The records of a topic through REST and kcat -J, which must agree byte for byte. */
  async function storedEverywhere(topic: string, partitions: number): Promise<SeenRecord[]> {
    const viaRest: SeenRecord[] = [];
    for (let p = 0; p < partitions; p++) viaRest.push(...(await restRecords(gw.baseUrl, broker.clusterId, topic, p)));
    expect(await kcatRecords(gw.bootstrap, topic)).toEqual(viaRest);
    return viaRest;
  }

  describe('-L metadata', () => {
    it('lists this broker at its advertised host:port as controller, and every topic\'s partitions, leader, replicas and ISR', async () => {
      const out = (await kcat(['-L'])).stdout.toString();
      const id = broker.brokerId;
      expect(out).toContain(` 1 brokers:\n  broker ${id} at 127.0.0.1:${gw.kafkaPort} (controller)\n`);
      expect(out).toContain(
        `  topic "listed" with 3 partitions:\n` +
          [0, 1, 2].map((p) => `    partition ${p}, leader ${id}, replicas: ${id}, isrs: ${id}\n`).join(''),
      );
      const topicCount = /^ (\d+) topics:$/m.exec(out)?.[1];
      expect(Number(topicCount)).toBe(broker.listTopics().length);
    }, KCAT_TEST_MS);

    it('-J: the same as JSON; -t narrows it to one topic', async () => {
      const id = broker.brokerId;
      const all = JSON.parse((await kcat(['-L', '-J'])).stdout.toString()) as { controllerid: number; brokers: unknown[]; topics: { topic: string }[] };
      expect(all.controllerid).toBe(id);
      expect(all.brokers).toEqual([{ id, name: `127.0.0.1:${gw.kafkaPort}` }]);
      expect(all.topics.map((t) => t.topic).sort()).toEqual(broker.listTopics().map((t) => t.name).sort());
      const one = JSON.parse((await kcat(['-L', '-J', '-t', 'listed'])).stdout.toString()) as { topics: unknown[] };
      expect(one.topics).toEqual([
        { topic: 'listed', partitions: [0, 1, 2].map((partition) => ({ partition, leader: id, replicas: [{ id }], isrs: [{ id }] })) },
      ]);
    }, KCAT_TEST_MS);

    it('-L -t of a missing topic reports it unknown', async () => {
      const one = JSON.parse((await kcat(['-L', '-J', '-t', 'never-was'])).stdout.toString()) as { topics: { topic: string; error?: string }[] };
      expect(one.topics).toEqual([expect.objectContaining({ topic: 'never-was', error: expect.stringMatching(/unknown topic/i) })]);
    }, KCAT_TEST_MS);
  });

  describe('-P then -C', () => {
    it('produces keyed lines (-K:) with headers (-H) to chosen partitions; -C -o beginning -e and REST read them back', async () => {
      const before = Date.now();
      await kcat(['-P', '-t', 'typed', '-p', '0', '-K', ':', '-H', 'source=kcat', '-H', 'n=1'], 'k1:first\nk2:second line\n:no key\n');
      await kcat(['-P', '-t', 'typed', '-p', '1', '-K', ':', '-H', 'source=kcat'], 'k3:third\n');
      const after = Date.now();
      const formatted = await consumeFormatted(gw.bootstrap, 'typed');
      const expectKcat = (partition: number, offset: number, key: string, value: string, headers: string): Partial<KcatRecord> => ({
        topic: 'typed', partition, offset, key: Buffer.from(key), value: Buffer.from(value), headers: Buffer.from(headers),
      });
      expect(formatted).toEqual([
        expect.objectContaining(expectKcat(0, 0, 'k1', 'first', 'source=kcat,n=1')),
        expect.objectContaining(expectKcat(0, 1, 'k2', 'second line', 'source=kcat,n=1')),
        // An empty key is a zero-length key, not a null one.
        expect.objectContaining(expectKcat(0, 2, '', 'no key', 'source=kcat,n=1')),
        expect.objectContaining(expectKcat(1, 0, 'k3', 'third', 'source=kcat')),
      ]);
      for (const r of formatted) expect(r.timestamp).toBeGreaterThanOrEqual(before - 1000);
      for (const r of formatted) expect(r.timestamp).toBeLessThanOrEqual(after + 1000);
      const stored = await storedEverywhere('typed', 2);
      expect(stored.map((r) => [r.partition, r.offset, r.timestamp])).toEqual(formatted.map((r) => [r.partition, r.offset, r.timestamp]));
      expect(stored[0]).toEqual(sent(0, 0, formatted[0]!.timestamp, 'k1', 'first', [['source', 'kcat'], ['n', '1']]));
    }, KCAT_TEST_MS);

    it('a file as one message keeps every byte (0-255), as kcat and REST read it', async () => {
      const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
      const file = join(files, 'all-bytes.bin');
      writeFileSync(file, bytes);
      await kcat(['-P', '-t', 'binary', '-p', '0', '-k', 'bin-key', '-H', 'kind=bytes', file]);
      const [viaKcat] = await consumeFormatted(gw.bootstrap, 'binary');
      expect(viaKcat!.value).toEqual(bytes);
      expect(viaKcat!.key).toEqual(Buffer.from('bin-key'));
      const [viaRest] = await storedEverywhere('binary', 1);
      expect(viaRest).toEqual(sent(0, 0, viaKcat!.timestamp, 'bin-key', bytes, [['kind', 'bytes']]));
    }, KCAT_TEST_MS);

    it('-o s@<timestamp> starts at the first record at or after it; -Q answers the offset for a timestamp', async () => {
      await broker.produce('timeline', Array.from({ length: 10 }, (_, i) => ({ partition: 0, key: null, value: Buffer.from(`t${i}`), timestamp: T0 + i * 1000 })));
      const from = async (spec: string) => parseRecords((await kcat(['-C', '-t', 'timeline', '-p', '0', '-o', spec, '-e', '-q', '-f', RECORD_FORMAT])).stdout).map((r) => r.offset);
      expect(await from(`s@${T0 + 2500}`)).toEqual([3, 4, 5, 6, 7, 8, 9]);
      expect(await from(`s@${T0 + 7000}`)).toEqual([7, 8, 9]);
      expect(await from(`s@${T0 - 1}`)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(await from('-2')).toEqual([8, 9]);
      expect(await from('5')).toEqual([5, 6, 7, 8, 9]);
      const query = (await kcat(['-Q', '-t', `timeline:0:${T0 + 4500}`])).stdout.toString();
      expect(query).toMatch(/timeline \[0\]\s+offset 5\b/);
    }, KCAT_TEST_MS);
  });

  describe.each(Object.entries(CODECS))('-X compression.codec=%s', (codec, attribute) => {
    it('produces compressed batches that kcat -f and REST read back byte-identical', async () => {
      const topic = `kcat-${codec}`;
      const lines = Array.from({ length: 200 }, (_, i) => `key-${i % 7}\t${`record ${i} of ${codec}: `.repeat(1 + (i % 9))}`);
      for (const partition of [0, 1]) {
        await kcat(['-P', '-t', topic, '-p', String(partition), '-K', '\\t', '-H', `codec=${codec}`, '-X', `compression.codec=${codec}`, '-X', 'linger.ms=50'], `${lines.join('\n')}\n`);
      }
      const formatted = await consumeFormatted(gw.bootstrap, topic);
      expect(formatted).toHaveLength(400);
      formatted.forEach((r, i) => {
        const [key, value] = lines[i % 200]!.split('\t') as [string, string];
        expect({ partition: r.partition, offset: r.offset, key: r.key?.toString(), value: r.value?.toString(), headers: r.headers.toString() }).toEqual({
          partition: Math.floor(i / 200), offset: i % 200, key, value, headers: `codec=${codec}`,
        });
      });
      const stored = await storedEverywhere(topic, 2);
      expect(stored).toEqual(formatted.map((r) => sent(r.partition, r.offset, r.timestamp, r.key, r.value, [['codec', codec]])));
    }, KCAT_TEST_MS);

    // librdkafka before 2.10 (kcat 1.7.1 ships 2.0.2) compresses gzip, snappy and lz4 only
    // when ApiVersions lists Produce v0 (zstd: any of v0-v7); otherwise it logs "Broker does
    // not support compression type ...: not compressing batch" and sends the batch
    // uncompressed. Kafka 4.0 lists Produce v0-v2 for that reason while refusing them
    // (KAFKA-18659, librdkafka#4956), and so does Weir.
    // lz4 also needs librdkafka's "LZ4" feature, which it infers from FindCoordinator v0
    // being listed (a Kafka 0.10 marker): listed since Weir serves consumer groups.
    it('is stored as librdkafka compressed it (compression.type=producer)', async () => {
      for (const partition of [0, 1]) {
        const [fetched] = await broker.fetch([{ topic: `kcat-${codec}`, partition, fetchOffset: 0n, maxBytes: 1 << 20 }]);
        const codecs = batchCodecs(fetched!.records);
        expect({ partition, codecs: [...new Set(codecs)] }).toEqual({ partition, codecs: [attribute] });
      }
    }, KCAT_TEST_MS);
  });
});
