import { javaStringHashCode, kafkaAbs, partitionForGroup } from './partition-for-group.js';

/**
 * Fixtures computed with Java 17 (`s.hashCode()`, and Kafka's Utils.abs(h) % n written out:
 * `h == Integer.MIN_VALUE ? 0 : Math.abs(h)`), so they do not depend on this implementation.
 */
const FIXTURES: readonly [groupId: string, hashCode: number, of50: number, of7: number][] = [
  ['', 0, 0, 0],
  ['foo', 101574, 24, 4],
  ['billing', -109829509, 9, 6],
  ['Hello World', -862545276, 26, 5],
  // Hashes to int min, whose absolute value Kafka's abs takes as 0.
  ['polygenelubricants', -2147483648, 0, 0],
  ['console-consumer-12345', 158455506, 6, 6],
  ['ça-va', 216270078, 28, 3],
  // Outside the BMP: hashed as its two UTF-16 surrogates.
  ['\u{1F600} group', -1570619006, 6, 5],
  ['my-group', -1906497762, 12, 1],
  ['test-group', 627841412, 12, 2],
  ['weir-rest-consumers', -290934630, 30, 0],
];

describe('partitionForGroup', () => {
  it.each(FIXTURES)('%j hashes as Java does and lands where Kafka puts it', (groupId, hashCode, of50, of7) => {
    expect(javaStringHashCode(groupId)).toBe(hashCode);
    expect(partitionForGroup(groupId, 50)).toBe(of50);
    expect(partitionForGroup(groupId, 7)).toBe(of7);
  });

  it("uses Kafka's abs, not the partitioner's sign-bit mask", () => {
    // With the mask, "billing" would land on 39 of 50.
    expect((javaStringHashCode('billing') & 0x7fffffff) % 50).toBe(39);
    expect(partitionForGroup('billing', 50)).toBe(9);
    expect(kafkaAbs(-2147483648)).toBe(0);
    expect(kafkaAbs(-5)).toBe(5);
  });

  it('refuses a partition count that is not a positive integer', () => {
    expect(() => partitionForGroup('g', 0)).toThrow(RangeError);
    expect(() => partitionForGroup('g', 1.5)).toThrow(RangeError);
    expect(partitionForGroup('anything', 1)).toBe(0);
  });
});
