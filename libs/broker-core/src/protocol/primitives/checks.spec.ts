import { expectKafkaError } from '../../log/batch/testing/expect-kafka-error.js';
import { checkMessageVersion, requireNonNull } from './checks.js';

describe('codec checks', () => {
  it('accepts the versions of the range and answers others with UNSUPPORTED_VERSION', () => {
    const range = { min: 0, max: 3 };
    for (const v of [0, 3]) expect(() => checkMessageVersion('XRequest', v, range)).not.toThrow();
    for (const v of [-1, 4, 1.5]) expectKafkaError(() => checkMessageVersion('XRequest', v, range), 'UNSUPPORTED_VERSION', /XRequest v/);
  });

  it('passes non-null values through and reports a null the version cannot carry', () => {
    expect(requireNonNull('a', 'X.name', 0)).toBe('a');
    expect(() => requireNonNull(null, 'X.name', 2)).toThrow(new RangeError('X.name is not nullable in v2'));
  });
});
