import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../testing/log-fixtures.js';
import { CorruptCheckpointError } from './checkpoint-file.js';
import { OffsetCheckpointFile, REPLICATION_OFFSET_CHECKPOINT_FILE, splitTopicPartitionKey } from './offset-checkpoint.js';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => (tmp = tempDir('weir-hw-checkpoint-')));
afterEach(() => tmp.cleanup());

describe('replication-offset-checkpoint', () => {
  it("writes Kafka's `topic partition offset` lines in the log dir and reads the map back", () => {
    const file = OffsetCheckpointFile.inLogDir(tmp.dir);
    expect(file.path).toBe(join(tmp.dir, REPLICATION_OFFSET_CHECKPOINT_FILE));
    const offsets = new Map([
      ['orders-0', 1200n],
      ['my-topic.v2-11', 0n],
      ['a-b-c-3', 2n ** 62n],
    ]);
    file.write(offsets);
    expect(readFileSync(file.path, 'utf8')).toBe(`0\n3\norders 0 1200\nmy-topic.v2 11 0\na-b-c 3 ${2n ** 62n}\n`);
    expect(file.read()).toEqual(offsets);
  });

  it('writes the same file off the event loop (the periodic checkpoint), replacing the last one', async () => {
    const file = OffsetCheckpointFile.inLogDir(tmp.dir);
    file.write(new Map([['orders-0', 1n]]));
    await file.writeAsync(new Map([['orders-0', 1200n], ['logs-3', 7n]]));
    expect(readFileSync(file.path, 'utf8')).toBe('0\n2\norders 0 1200\nlogs 3 7\n');
    expect(file.read()).toEqual(new Map([['orders-0', 1200n], ['logs-3', 7n]]));
  });

  it('reads a file as Kafka writes it, and a missing one as undefined', () => {
    const file = OffsetCheckpointFile.inLogDir(tmp.dir);
    expect(file.read()).toBeUndefined();
    writeFileSync(file.path, '0\n2\n__consumer_offsets 7 42\nlogs 0 9\n');
    expect(file.read()).toEqual(new Map([['__consumer_offsets-7', 42n], ['logs-0', 9n]]));
  });

  it.each([
    ['a leader epoch file', '0\n1\n3 0\n'],
    ['version 1', '1\n0\n'],
    ['a partition that is no number', '0\n1\norders x 5\n'],
    ['an offset past int64', `0\n1\norders 0 ${2n ** 63n}\n`],
    ['a partition listed twice', '0\n2\norders 0 5\norders 0 6\n'],
    ['a cut file', '0\n1\norders 0 12'],
  ])('refuses %s', (_what, text) => {
    const file = OffsetCheckpointFile.inLogDir(tmp.dir);
    writeFileSync(file.path, text);
    expect(() => file.read()).toThrow(CorruptCheckpointError);
  });

  it('splits keys at the last dash and refuses keys that are not <topic>-<partition>', () => {
    expect(splitTopicPartitionKey('a-b-12')).toEqual({ topic: 'a-b', partition: 12 });
    for (const bad of ['orders', '-1', 'orders-', 'orders-x', 'two words-0', 'orders-2147483648']) {
      expect(() => splitTopicPartitionKey(bad)).toThrow(RangeError);
    }
    expect(() => OffsetCheckpointFile.inLogDir(tmp.dir).write(new Map([['orders', 1n]]))).toThrow(RangeError);
  });
});
