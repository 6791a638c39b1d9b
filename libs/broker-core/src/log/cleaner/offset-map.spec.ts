import { keyDigest } from './key-digest.js';
import { OFFSET_MAP_SLOT_BYTES, OffsetMap } from './offset-map.js';

const key = (text: string) => Buffer.from(text);
const put = (map: OffsetMap, text: string, offset: number) => map.put(key(text), 0, Buffer.byteLength(text), offset);
const get = (map: OffsetMap, text: string) => map.get(key(text), 0, Buffer.byteLength(text));

describe('OffsetMap', () => {
  it('keeps the latest offset per key, -1 for keys it has not seen', () => {
    const map = new OffsetMap(1024);
    put(map, 'a', 0);
    put(map, 'b', 1);
    put(map, 'a', 7);
    put(map, '', 8);
    expect([get(map, 'a'), get(map, 'b'), get(map, ''), get(map, 'c')]).toEqual([7, 1, 8, -1]);
    expect(map.size).toBe(3);
    expect(map.latestOffset).toBe(8);
    // Offsets past 2^32 are exact.
    put(map, 'big', 2 ** 52 + 3);
    expect(get(map, 'big')).toBe(2 ** 52 + 3);
  });

  it('reads a key where it lies in a larger buffer', () => {
    const map = new OffsetMap(1024);
    const buf = Buffer.from('xxkeyyy');
    map.put(buf, 2, 3, 5);
    expect(get(map, 'key')).toBe(5);
    expect(map.get(buf, 2, 2)).toBe(-1);
  });

  it('holds at most slots x load factor keys, and starts empty again after clear', () => {
    const map = new OffsetMap(10 * OFFSET_MAP_SLOT_BYTES, 0.5);
    expect([map.slots, map.maxEntries]).toEqual([10, 5]);
    for (let i = 0; i < 5; i++) put(map, `k${i}`, i);
    expect(map.hasRoomFor(1)).toBe(false);
    expect(() => put(map, 'k5', 5)).toThrow(RangeError);
    put(map, 'k0', 9); // an update takes no room
    expect(map.utilization).toBe(0.5);
    map.clear();
    expect([map.size, map.latestOffset, get(map, 'k0')]).toEqual([0, -1, -1]);
    expect(map.hasRoomFor(5)).toBe(true);
    expect(() => new OffsetMap(OFFSET_MAP_SLOT_BYTES, 0.5)).toThrow(RangeError);
  });

  it('tells 200,000 similar keys apart', () => {
    const map = new OffsetMap(250_000 * OFFSET_MAP_SLOT_BYTES);
    for (let i = 0; i < 200_000; i++) put(map, `user-${i}`, i);
    expect(map.size).toBe(200_000);
    for (let i = 0; i < 200_000; i += 997) expect(get(map, `user-${i}`)).toBe(i);
  });
});

describe('keyDigest', () => {
  const digest = (buf: Buffer) => {
    const out = new Int32Array(4);
    keyDigest(buf, 0, buf.length, out);
    return [...out];
  };

  it('depends on every byte, the length, and nothing past the key', () => {
    const seen = new Set<string>();
    // Every length from 0 to 40 covers the block loop and each tail length.
    for (let length = 0; length <= 40; length++) {
      const base = Buffer.alloc(length, 0x61);
      seen.add(digest(base).join());
      for (let i = 0; i < length; i++) {
        const flipped = Buffer.from(base);
        flipped[i] ^= 1;
        seen.add(digest(flipped).join());
      }
    }
    expect(seen.size).toBe(41 + (40 * 41) / 2);
    const padded = Buffer.from('key\0\0');
    const out = new Int32Array(4);
    keyDigest(padded, 0, 3, out);
    expect([...out]).toEqual(digest(Buffer.from('key')));
    expect(digest(Buffer.from('key'))).not.toEqual(digest(padded));
  });
});
