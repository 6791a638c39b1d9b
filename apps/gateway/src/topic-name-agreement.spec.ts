import { describe, expect, it } from '@jest/globals';
import { validateTopicName } from '@weir/broker-core';
import { topicNameSchema } from '@weir/contracts';
import fc from 'fast-check';

/**
 * Kafka's topic-name rule exists twice on purpose: in the broker (authoritative, Kafka
 * errors, no zod) and in the shared contracts (zod, so console forms reject what the API
 * rejects). This pins the two together.
 */
const accepts = {
  broker: (name: string): boolean => {
    try {
      validateTopicName(name);
      return true;
    } catch {
      return false;
    }
  },
  contracts: (name: string): boolean => topicNameSchema.safeParse(name).success,
};

describe('topic-name rule: broker and contracts agree', () => {
  it.each([
    ['orders', true], ['a.b_c-9', true], ['x'.repeat(249), true], ['.hidden', true], ['__consumer_offsets', true],
    ['', false], ['.', false], ['..', false], ['x'.repeat(250), false], ['a b', false], ['a/b', false], ['ü', false], ['a\nb', false],
  ])('%j → %s', (name, valid) => {
    expect(accepts.broker(name)).toBe(valid);
    expect(accepts.contracts(name)).toBe(valid);
  });

  it('on random names', () => {
    const chars = fc.constantFrom(...'ab.-_Z9 /ü'.split(''));
    fc.assert(fc.property(fc.string({ unit: chars, maxLength: 260 }), (name) => accepts.broker(name) === accepts.contracts(name)));
  });
});
