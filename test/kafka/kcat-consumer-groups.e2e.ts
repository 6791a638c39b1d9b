import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import type { BrokerApi } from '@weir/broker-core';
import { BROKER } from '../../apps/gateway/src/broker/broker.module.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { KCAT_TEST_MS, kcatMissing, kcatOk, spawnKcat } from '../support/kcat.js';

/**
 * kcat's balanced consumer (`kcat -G group topic`, librdkafka's KafkaConsumer) against the
 * group coordinator: one member consumes everything and commits, a second run of the
 * group resumes at the committed offsets, and two members running together split the
 * partitions and between them consume every record.
 */
const KCAT_MISSING = kcatMissing();
if (KCAT_MISSING !== undefined) console.warn(KCAT_MISSING);
const describeWithKcat = KCAT_MISSING === undefined ? describe : describe.skip;

const TOPIC = 'kcat-group';
const PARTITIONS = 4;
/** Partition, offset and value of each record, one per line. */
const FORMAT = '%p %o %s\\n';

describeWithKcat('kcat balanced consumers (-G) against the group coordinator', () => {
  let gw: TestGateway;
  let broker: BrokerApi;
  let produced = 0;
  const running: ChildProcessWithoutNullStreams[] = [];

  beforeAll(async () => {
    gw = await startTestGateway({ env: { WEIR_GROUP_INITIAL_REBALANCE_DELAY_MS: '300' } });
    broker = gw.get<BrokerApi>(BROKER);
    await broker.createTopic({ name: TOPIC, partitions: PARTITIONS });
  }, 60_000);

  afterAll(async () => {
    for (const child of running) child.kill('SIGKILL');
    await gw?.close();
  }, 30_000);

  async function produce(count: number): Promise<string[]> {
    const values = Array.from({ length: count }, (_, i) => `value-${produced + i}`);
    produced += count;
    const results = await broker.produce(TOPIC, values.map((v, i) => ({ partition: i % PARTITIONS, key: Buffer.from(v), value: Buffer.from(v) })));
    expect(results.every((r) => r.errorCode === 0)).toBe(true);
    return values;
  }

  const valuesOf = (stdout: string): string[] => stdout.split('\n').filter((l) => l !== '').map((l) => l.split(' ')[2]!);

  async function committedTotal(groupId: string): Promise<bigint> {
    return (await broker.fetchConsumerGroupOffsets(groupId)).reduce((sum, o) => sum + o.offset, 0n);
  }

  it('consumes every record from the beginning and commits; the next run of the group resumes at the commits', async () => {
    const first = await produce(200);
    const run = await kcatOk(['-b', gw.bootstrap, '-G', 'kcat-g', '-o', 'beginning', '-e', '-f', FORMAT, TOPIC], { timeoutMs: 30_000 });
    expect(valuesOf(run.stdout.toString()).sort()).toEqual([...first].sort());
    expect(run.stderr).toMatch(/assigned: kcat-group \[0\], kcat-group \[1\], kcat-group \[2\], kcat-group \[3\]/);
    expect(await committedTotal('kcat-g')).toBe(200n);
    expect(await broker.describeConsumerGroup('kcat-g')).toMatchObject({ state: 'Empty', protocolType: 'consumer', memberCount: 0 });

    const second = await produce(40);
    const again = await kcatOk(['-b', gw.bootstrap, '-G', 'kcat-g', '-e', '-f', FORMAT, TOPIC], { timeoutMs: 30_000 });
    expect(valuesOf(again.stdout.toString()).sort()).toEqual([...second].sort());
    expect(await committedTotal('kcat-g')).toBe(240n);
  }, KCAT_TEST_MS);

  it('splits the partitions between two members running together, which between them consume every record', async () => {
    const expected = new Set(await produce(400));
    const outputs = ['', ''];
    const logs = ['', ''];
    for (const i of [0, 1]) {
      // -u: unbuffered, so records show as they come (the members run until the test stops them).
      const child = spawnKcat(['-b', gw.bootstrap, '-G', 'kcat-pair', '-o', 'beginning', '-u', '-f', FORMAT, '-X', 'auto.commit.interval.ms=100', TOPIC]);
      running.push(child);
      child.stdout.on('data', (chunk: Buffer) => (outputs[i] += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (logs[i] += chunk.toString()));
      child.stdin.end();
    }
    const deadline = Date.now() + 40_000;
    const assignedTo = (log: string): string | undefined => [...log.matchAll(/rebalanced \(memberid [^)]*\): assigned: (.*)/g)].at(-1)?.[1];
    for (;;) {
      const seen = new Set([...valuesOf(outputs[0]!), ...valuesOf(outputs[1]!)]);
      const both = assignedTo(logs[0]!) !== undefined && assignedTo(logs[1]!) !== undefined;
      if (both && [...expected].every((v) => seen.has(v)) && (await committedTotal('kcat-pair')) === BigInt(produced)) break;
      if (Date.now() > deadline) throw new Error(`timed out; member logs:\n${logs.join('\n---\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Each holds two of the four partitions in the final generation, none held by both.
    const finalAssignments = [assignedTo(logs[0]!)!, assignedTo(logs[1]!)!].map((a) => a.split(', ').sort());
    expect(finalAssignments.map((a) => a.length)).toEqual([2, 2]);
    expect(new Set(finalAssignments.flat()).size).toBe(PARTITIONS);
    const described = await broker.describeConsumerGroup('kcat-pair');
    expect(described).toMatchObject({ state: 'Stable', memberCount: 2 });
    expect(described.members.flatMap((m) => m.assignment.map((a) => a.partition)).sort()).toEqual([0, 1, 2, 3]);

    for (const child of running.splice(0)) {
      const exited = new Promise((resolve) => child.once('close', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    expect((await broker.describeConsumerGroup('kcat-pair')).state).toBe('Empty');
  }, KCAT_TEST_MS);
});
