import { afterEach, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, readdirSync, readlinkSync, renameSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrokerHarness as Harness } from './testing/broker-harness.js';

// The process-wide pool of segment descriptors reads its cap once, at import.
const CAP = 8;
process.env['WEIR_MAX_OPEN_SEGMENT_FILES'] = String(CAP);
const { BrokerHarness } = await import('./testing/broker-harness.js');
const { PROCESS_OPEN_FILES } = await import('../log/segment/open-files.js');

const PARTITIONS = 50;
const manifestOf = (dataDir: string, partition: number): string => join(dataDir, 'logs', `wide-${partition}`, '.clean-shutdown');

/** Descriptors this process holds on segment files under `dataDir`. */
function openSegmentFiles(dataDir: string): number {
  let n = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (target.startsWith(dataDir) && /\.(log|index|timeindex)$/.test(target)) n++;
    } catch {
      // closed between the listing and the readlink
    }
  }
  return n;
}

describe('Broker lazy log opening', () => {
  let h: Harness;
  afterEach(async () => h.close());

  it('opens no log at start; a partition untouched since then appends and reads at its old end, and the rest keep their manifests', async () => {
    expect(PROCESS_OPEN_FILES.capacity).toBe(CAP);
    h = await BrokerHarness.start();
    await h.broker.createTopic({ name: 'wide', partitions: PARTITIONS });
    for (let p = 0; p < PARTITIONS; p++) {
      await h.broker.produce('wide', Array.from({ length: 3 }, (_, i) => ({ partition: p, key: null, value: Buffer.from(`p${p}-r${i}`) })));
    }
    await h.broker.close();
    await h.restart();

    // Every clean-shutdown manifest is still there: no log was opened by the start.
    for (let p = 0; p < PARTITIONS; p++) expect(existsSync(manifestOf(h.dataDir, p))).toBe(true);
    const [appended] = await h.broker.produce('wide', [{ partition: 37, key: null, value: Buffer.from('after restart') }]);
    expect(appended).toMatchObject({ errorCode: 0, offset: 3n });
    const read = await h.broker.readRecords('wide', 37, { start: { position: 'oldest' } });
    expect(read.records.map((r) => r.value!.toString())).toEqual(['p37-r0', 'p37-r1', 'p37-r2', 'after restart']);
    expect(existsSync(manifestOf(h.dataDir, 37))).toBe(false);
    expect(existsSync(manifestOf(h.dataDir, 36))).toBe(true);
    // Metadata-like descriptions open nothing; their offsets are read (and the log opened) when asked for.
    const described = h.broker.describeTopic('wide').partitions[12]!;
    expect(existsSync(manifestOf(h.dataDir, 12))).toBe(true);
    expect(described.logEndOffset).toBe(3n);

    await h.broker.close();
    await h.restart();
    const again = await h.broker.readRecords('wide', 37, { start: { position: 'oldest' } });
    expect(again.records).toHaveLength(4);
    expect((await h.broker.readRecords('wide', 5, { start: { position: 'oldest' } })).records).toHaveLength(3);
  });

  it('keeps segment descriptors under the cap when more partitions than the cap are used after a restart', async () => {
    h = await BrokerHarness.start();
    await h.broker.createTopic({ name: 'wide', partitions: PARTITIONS });
    await h.broker.close();
    await h.restart();
    for (let round = 0; round < 2; round++) {
      for (let p = 0; p < PARTITIONS; p++) {
        const [result] = await h.broker.produce('wide', [{ partition: p, key: null, value: Buffer.from(`round ${round}`) }]);
        expect(result).toMatchObject({ errorCode: 0, offset: BigInt(round) });
        expect(openSegmentFiles(h.dataDir)).toBeLessThanOrEqual(CAP);
      }
    }
    for (let p = 0; p < PARTITIONS; p += 7) {
      const read = await h.broker.readRecords('wide', p, { start: { position: 'oldest' } });
      expect(read.records.map((r) => r.value!.toString())).toEqual(['round 0', 'round 1']);
    }
    expect(openSegmentFiles(h.dataDir)).toBeLessThanOrEqual(CAP);
  });

  it('a log that fails to open fails that use only: the next use opens it again once the fault is gone', async () => {
    h = await BrokerHarness.start();
    await h.broker.createTopic({ name: 'wide', partitions: 2 });
    await h.broker.produce('wide', [{ partition: 1, key: null, value: Buffer.from('before') }]);
    await h.broker.close();
    await h.restart();
    // A directory where the first segment should be: opening the log fails (EISDIR).
    const segment = join(h.dataDir, 'logs', 'wide-1', '00000000000000000000.log');
    renameSync(segment, `${segment}.aside`);
    mkdirSync(segment);
    const failed = await h.broker.produce('wide', [{ partition: 1, key: null, value: Buffer.from('while broken') }]).then(
      (results) => results[0]!.errorCode,
      () => -1,
    );
    expect(failed).not.toBe(0);
    rmdirSync(segment);
    renameSync(`${segment}.aside`, segment);
    const [appended] = await h.broker.produce('wide', [{ partition: 1, key: null, value: Buffer.from('after') }]);
    expect(appended).toMatchObject({ errorCode: 0, offset: 1n });
    const read = await h.broker.readRecords('wide', 1, { start: { position: 'oldest' } });
    expect(read.records.map((r) => r.value!.toString())).toEqual(['before', 'after']);
  });
});
