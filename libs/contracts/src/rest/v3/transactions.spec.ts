import { consumerLagQuerySchema } from './consumer-group.js';
import { transactionListQuerySchema } from './transactions.js';

describe('transactions query schemas', () => {
  it('reads comma-separated states and producer ids, and a minimum duration', () => {
    expect(transactionListQuerySchema.parse({ state: 'Ongoing, PrepareAbort', producer_id: '7,9007199254740993', min_duration_ms: '1000' })).toEqual({
      state: ['Ongoing', 'PrepareAbort'], producer_id: [7n, 9007199254740993n], min_duration_ms: 1000,
    });
    expect(transactionListQuerySchema.parse({})).toEqual({});
  });

  it('refuses unknown states, negative or non-numeric ids and durations', () => {
    for (const bad of [{ state: 'Running' }, { state: 'ongoing' }, { producer_id: '-1' }, { producer_id: 'x' }, { min_duration_ms: '-5' }, { min_duration_ms: 'soon' }]) {
      expect(transactionListQuerySchema.safeParse(bad).success).toBe(false);
    }
  });

  it('takes the two isolation levels for lags, and nothing else', () => {
    expect(consumerLagQuerySchema.parse({ isolation_level: 'read_committed' })).toEqual({ isolation_level: 'read_committed' });
    expect(consumerLagQuerySchema.parse({})).toEqual({});
    expect(consumerLagQuerySchema.safeParse({ isolation_level: 'serializable' }).success).toBe(false);
  });
});
