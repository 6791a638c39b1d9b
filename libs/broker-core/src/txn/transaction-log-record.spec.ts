import { describe, expect, it } from '@jest/globals';
import {
  decodeTransactionLogKey, decodeTransactionLogValue, encodeTransactionLogKey, encodeTransactionLogValue, type TransactionLogValue,
} from './transaction-log-record.js';

/**
 * `__transaction_state` records against bytes laid out by hand from Kafka's
 * TransactionLogKey.json and TransactionLogValue.json (v0 as Kafka writes it, v1 the
 * flexible form it may read), so a log written by either reads in the other.
 */
/** Hex digits; `#` starts a comment that runs to the end of its line. */
const hex = (s: string): Buffer => Buffer.from(s.replace(/#.*$/gm, '').replace(/\s+/g, ''), 'hex');

const PREPARE_COMMIT: TransactionLogValue = {
  producerId: 1000n, producerEpoch: 2, transactionTimeoutMs: 60_000, state: 'PrepareCommit',
  partitions: [{ topic: 't', partition: 0 }, { topic: 't', partition: 1 }], lastUpdateTimestampMs: 1_700_000_000_000, startTimestampMs: 1_699_999_999_000,
};

const PREPARE_COMMIT_V0 = hex(`
  0000                        # version 0
  00000000000003e8            # producer id 1000
  0002                        # epoch 2
  0000ea60                    # timeout 60000 ms
  02                          # PrepareCommit
  00000001                    # one topic:
    0001 74                   #   "t"
    00000002 00000000 00000001 #  partitions 0 and 1
  0000018bcfe56800            # last update
  0000018bcfe56418            # start
`);

describe('TransactionLogKey', () => {
  it('is version 0 and the id as a STRING', () => {
    expect(encodeTransactionLogKey('txn-a')).toEqual(hex('0000 0005 74786e2d61'));
    expect(decodeTransactionLogKey(hex('0000 0005 74786e2d61'))).toBe('txn-a');
  });

  it('leaves key versions it does not know to the caller to skip', () => {
    expect(decodeTransactionLogKey(hex('0001 0005 74786e2d61'))).toBeUndefined();
  });
});

describe('TransactionLogValue', () => {
  it('writes v0 byte for byte as Kafka does', () => {
    expect(encodeTransactionLogValue(PREPARE_COMMIT).toString('hex')).toBe(PREPARE_COMMIT_V0.toString('hex'));
    expect(decodeTransactionLogValue(PREPARE_COMMIT_V0)).toEqual(PREPARE_COMMIT);
  });

  it('writes Empty with null partitions and reads them back as none', () => {
    const empty: TransactionLogValue = { ...PREPARE_COMMIT, state: 'Empty', partitions: [], startTimestampMs: -1 };
    const bytes = encodeTransactionLogValue(empty);
    expect(bytes.subarray(2 + 8 + 2 + 4 + 1, 2 + 8 + 2 + 4 + 1 + 4)).toEqual(hex('ffffffff'));
    expect(decodeTransactionLogValue(bytes)).toEqual(empty);
    expect(() => encodeTransactionLogValue({ ...PREPARE_COMMIT, state: 'Empty' })).toThrow(RangeError);
  });

  it('reads the flexible v1 form', () => {
    const v1 = hex(`
      0001 00000000000003e8 0002 0000ea60 02
      02 02 74 03 00000000 00000001 00
      0000018bcfe56800 0000018bcfe56418 00`);
    expect(decodeTransactionLogValue(v1)).toEqual(PREPARE_COMMIT);
  });

  it('refuses an unknown value version and an unknown state id', () => {
    expect(() => decodeTransactionLogValue(hex('0002'))).toThrow(expect.objectContaining({ errorName: 'UNSUPPORTED_VERSION' }) as unknown as Error);
    const badState = Buffer.from(PREPARE_COMMIT_V0);
    badState[16] = 9;
    expect(() => decodeTransactionLogValue(badState)).toThrow(RangeError);
  });
});
