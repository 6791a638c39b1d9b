import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isKafkaError } from '../../errors.js';
import { CorruptCheckpointError } from '../checkpoint/checkpoint-file.js';
import { tempDir } from '../testing/log-fixtures.js';
import { PARTITION_METADATA_FILE, readPartitionMetadata, writePartitionMetadata } from './partition-metadata.js';

// Kafka's Uuid.toString of 16 bytes: base64url, unpadded, 22 characters.
const TOPIC_ID = Buffer.from('0123456789abcdef0123456789abcdef', 'hex').toString('base64url');
const OTHER_ID = Buffer.from('fedcba9876543210fedcba9876543210', 'hex').toString('base64url');

let tmp: ReturnType<typeof tempDir>;
let file: string;
beforeEach(() => {
  tmp = tempDir('weir-partition-metadata-');
  file = join(tmp.dir, PARTITION_METADATA_FILE);
});
afterEach(() => tmp.cleanup());

describe('partition.metadata', () => {
  it("writes Kafka's two lines and reads the topic id back; a missing file reads as undefined", () => {
    expect(readPartitionMetadata(tmp.dir)).toBeUndefined();
    writePartitionMetadata(tmp.dir, TOPIC_ID);
    expect(readFileSync(file, 'utf8')).toBe(`version: 0\ntopic_id: ${TOPIC_ID}\n`);
    expect(readPartitionMetadata(tmp.dir)).toBe(TOPIC_ID);
  });

  it('is written once: the same id again changes nothing, another id is INCONSISTENT_TOPIC_ID', () => {
    writePartitionMetadata(tmp.dir, TOPIC_ID);
    writePartitionMetadata(tmp.dir, TOPIC_ID);
    let thrown: unknown;
    try {
      writePartitionMetadata(tmp.dir, OTHER_ID);
    } catch (err) {
      thrown = err;
    }
    expect(isKafkaError(thrown) && thrown.errorName).toBe('INCONSISTENT_TOPIC_ID');
    expect(readPartitionMetadata(tmp.dir)).toBe(TOPIC_ID);
  });

  it('replaces an unreadable file, and refuses to write something that is no topic id', () => {
    writeFileSync(file, 'version: 0\ntopic_id: AAA');
    writePartitionMetadata(tmp.dir, TOPIC_ID);
    expect(readPartitionMetadata(tmp.dir)).toBe(TOPIC_ID);
    for (const bad of ['', 'short', `${TOPIC_ID}A`, 'AAAAAAAAAAAAAAAAAAAAAA', `${TOPIC_ID.slice(0, 21)}B`]) {
      expect(() => writePartitionMetadata(tmp.dir, bad)).toThrow(RangeError);
    }
  });

  it('accepts what Kafka accepts: any whitespace after the colon, a newer version', () => {
    writeFileSync(file, `version:\t1\ntopic_id:  ${TOPIC_ID}\n`);
    expect(readPartitionMetadata(tmp.dir)).toBe(TOPIC_ID);
  });

  it.each([
    ['an empty file', ''],
    ['a missing topic_id line', 'version: 0\n'],
    ['a cut topic id', `version: 0\ntopic_id: ${TOPIC_ID.slice(0, 10)}`],
    ['the zero uuid', 'version: 0\ntopic_id: AAAAAAAAAAAAAAAAAAAAAA\n'],
    ['keys in another order', `topic_id: ${TOPIC_ID}\nversion: 0\n`],
    ['no space after the colon', `version:0\ntopic_id: ${TOPIC_ID}\n`],
  ])('refuses %s with an error naming the file', (_what, text) => {
    writeFileSync(file, text);
    expect(() => readPartitionMetadata(tmp.dir)).toThrow(CorruptCheckpointError);
    expect(() => readPartitionMetadata(tmp.dir)).toThrow(file);
  });
});
