import { describe, expect, it } from '@jest/globals';
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { murmur2, partitionForKey, toPositive } from './murmur2.js';
import { DefaultPartitioner } from './partitioner.js';

const require = createRequire(import.meta.url);
/** kafkajs's Java-compatible murmur2 (an independent implementation on its own Long type). */
const kafkajsMurmur2 = require('kafkajs/src/producer/partitioners/default/murmur2.js') as (key: Buffer) => number;

describe('murmur2 (Kafka Utils.murmur2)', () => {
  it('matches the values in Kafka’s own UtilsTest', () => {
    const cases: [string, number][] = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
      ['abc', 479470107],
    ];
    for (const [key, hash] of cases) expect([key, murmur2(Buffer.from(key))]).toEqual([key, hash]);
  });

  it('agrees with kafkajs on every length and on random bytes', () => {
    for (let length = 0; length < 64; length++) {
      for (let n = 0; n < 20; n++) {
        const key = randomBytes(length);
        expect([key.toString('hex'), murmur2(key)]).toEqual([key.toString('hex'), kafkajsMurmur2(key)]);
      }
    }
  });

  it('places keys as Kafka’s default partitioner: positive hash mod partitions', () => {
    expect(toPositive(-2147483648)).toBe(0);
    expect(toPositive(-1)).toBe(0x7fffffff);
    for (const key of ['user-1', 'user-2', 'order-42', '']) {
      const bytes = Buffer.from(key);
      expect(partitionForKey(bytes, 7)).toBe((kafkajsMurmur2(bytes) & 0x7fffffff) % 7);
    }
  });
});

describe('DefaultPartitioner', () => {
  it('keeps null keys on one partition until a batch is sent, then moves to another', () => {
    const partitioner = new DefaultPartitioner();
    for (let round = 0; round < 50; round++) {
      const first = partitioner.partition('t', null, 5);
      expect(partitioner.partition('t', null, 5)).toBe(first);
      partitioner.onNewBatch('t', 5);
      expect(partitioner.partition('t', null, 5)).not.toBe(first);
    }
    expect(partitioner.partition('single', null, 1)).toBe(0);
    partitioner.onNewBatch('single', 1);
    expect(partitioner.partition('single', null, 1)).toBe(0);
  });

  it('re-picks when the sticky partition no longer exists', () => {
    const partitioner = new DefaultPartitioner(() => 0.99);
    expect(partitioner.partition('t', null, 10)).toBe(9);
    expect(partitioner.partition('t', null, 3)).toBe(2);
  });
});
