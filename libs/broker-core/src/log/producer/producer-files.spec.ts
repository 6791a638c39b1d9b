import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32c } from '@node-rs/crc32';
import { tempDir } from '../testing/log-fixtures.js';
import { CorruptSnapshotError, readSnapshot, snapshotPath, writeSnapshot } from './producer-snapshot.js';
import { BatchMetadata, ProducerStateEntry } from './producer-state-entry.js';
import { type AbortedTxnEntry, TXN_INDEX_ENTRY_SIZE, TransactionIndex } from './transaction-index.js';

describe('producer state files in Kafka\'s layouts', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir('weir-producer-files-');
  });
  afterEach(() => tmp.cleanup());

  it('writes a snapshot as version 1, CRC-32C of the rest, then 46-byte entries, and reads it back', () => {
    const entry = new ProducerStateEntry(0x0102030405n, 7, 3, 1_700_000_000_123, 900, [new BatchMetadata(41, 1000, 4, 1_700_000_000_123)]);
    const idle = new ProducerStateEntry(9n, 0, -1, 5, -1, []);
    writeSnapshot(tmp.dir, 1234, [entry, idle], false);
    const path = join(tmp.dir, '00000000000000001234.snapshot');
    expect(snapshotPath(tmp.dir, 1234)).toBe(path);
    const bytes = readFileSync(path);
    expect(bytes.length).toBe(2 + 4 + 4 + 2 * 46);
    expect(bytes.readInt16BE(0)).toBe(1);
    expect(bytes.readUInt32BE(2)).toBe(crc32c(bytes.subarray(6)) >>> 0);
    expect(bytes.readInt32BE(6)).toBe(2);
    const e = 10;
    expect([bytes.readBigInt64BE(e), bytes.readInt16BE(e + 8), bytes.readInt32BE(e + 10), bytes.readBigInt64BE(e + 14), bytes.readInt32BE(e + 22)]).toEqual([0x0102030405n, 7, 41, 1000n, 4]);
    expect([bytes.readBigInt64BE(e + 26), bytes.readInt32BE(e + 34), bytes.readBigInt64BE(e + 38)]).toEqual([1_700_000_000_123n, 3, 900n]);
    // Without a batch: last sequence and offset -1.
    expect([bytes.readInt32BE(e + 46 + 10), bytes.readBigInt64BE(e + 46 + 14), bytes.readBigInt64BE(e + 46 + 38)]).toEqual([-1, -1n, -1n]);
    const [a, b] = readSnapshot(path);
    expect(a).toEqual(entry);
    expect(b).toEqual(idle);
    expect(a!.batches[0]!.firstSeq).toBe(37);
  });

  it('rejects a snapshot with a bad CRC, version or length', () => {
    writeSnapshot(tmp.dir, 1, [new ProducerStateEntry(1n, 0, -1, 5, -1, [])], false);
    const path = snapshotPath(tmp.dir, 1);
    const good = readFileSync(path);
    for (const damage of [(b: Buffer) => (b[20] ^= 1), (b: Buffer) => b.writeInt16BE(2, 0), (b: Buffer) => b.writeInt32BE(3, 6)]) {
      const bad = Buffer.from(good);
      damage(bad);
      writeFileSync(path, bad);
      expect(() => readSnapshot(path)).toThrow(CorruptSnapshotError);
    }
    writeFileSync(path, good.subarray(0, good.length - 1));
    expect(() => readSnapshot(path)).toThrow(CorruptSnapshotError);
  });

  it('keeps a .txnindex of 34-byte version-0 entries, created with the first, cut by truncation', () => {
    const path = join(tmp.dir, '00000000000000000000.txnindex');
    const index = new TransactionIndex(path);
    expect(index.isEmpty).toBe(true);
    expect(() => readFileSync(path)).toThrow();
    index.append({ producerId: 5n, firstOffset: 10, lastOffset: 20, lastStableOffset: 15 });
    index.append({ producerId: 6n, firstOffset: 15, lastOffset: 30, lastStableOffset: 31 });
    const bytes = readFileSync(path);
    expect(bytes.length).toBe(2 * TXN_INDEX_ENTRY_SIZE);
    expect([bytes.readInt16BE(0), bytes.readBigInt64BE(2), bytes.readBigInt64BE(10), bytes.readBigInt64BE(18), bytes.readBigInt64BE(26)]).toEqual([0, 5n, 10n, 20n, 15n]);
    index.close();
    // A fresh reader (as after a restart) sees both; overlap rules and the early stop.
    const reopened = new TransactionIndex(path);
    const found: AbortedTxnEntry[] = [];
    expect(reopened.collect(21, 100, found)).toBe(false);
    expect(found).toEqual([{ producerId: 6n, firstOffset: 15, lastOffset: 30, lastStableOffset: 31 }]);
    const early: AbortedTxnEntry[] = [];
    expect(reopened.collect(0, 15, early)).toBe(true);
    expect(early).toEqual([{ producerId: 5n, firstOffset: 10, lastOffset: 20, lastStableOffset: 15 }]);
    reopened.truncateTo(30);
    expect(readFileSync(path).length).toBe(TXN_INDEX_ENTRY_SIZE);
    reopened.truncateTo(20);
    expect(() => readFileSync(path)).toThrow();
    reopened.close();
  });
});
