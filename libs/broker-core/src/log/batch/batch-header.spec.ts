import { KafkaError } from '../../errors.js';
import { BATCH_HEADER_SIZE, validateBatchAt } from './batch-header.js';

describe('validateBatchAt', () => {
  it('rejects a buffer shorter than a header with CORRUPT_MESSAGE', () => {
    const short = Buffer.alloc(BATCH_HEADER_SIZE - 1);
    expect(() => validateBatchAt(short, 0)).toThrow(KafkaError);
    expect(() => validateBatchAt(short, 0)).toThrow(/CORRUPT_MESSAGE/);
  });
});
