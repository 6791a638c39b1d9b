import type { LivePurgatory } from '@weir/contracts';
import { appendSample, HISTORY_POINTS, purgatoryNames, sortPurgatories } from './operations-history';

const purgatory = (broker_id: number, name: string, expirations_per_sec: number): LivePurgatory => ({
  broker_id, name, watched: 0, watch_keys: 0, delayed: 0, completed_total: 0, expired_total: 0, completions_per_sec: 0, expirations_per_sec,
});

describe('delayed operations history', () => {
  it('sums expirations per purgatory name over brokers, and keeps the last points only', () => {
    const one = appendSample([], 2_000, [purgatory(1, 'Fetch', 1.5), purgatory(2, 'Fetch', 0.5), purgatory(1, 'Produce', 0)]);
    expect(one).toEqual([{ atSec: 2, expirations: { Fetch: 2, Produce: 0 } }]);
    let long = one;
    for (let i = 0; i < HISTORY_POINTS + 5; i++) long = appendSample(long, 3_000 + i * 1000, []);
    expect(long).toHaveLength(HISTORY_POINTS);
    expect(long[0]?.atSec).toBe(8);
  });

  it('orders purgatories as Kafka names them, by broker', () => {
    const rows = sortPurgatories([purgatory(2, 'Fetch', 0), purgatory(1, 'Heartbeat', 0), purgatory(1, 'Produce', 0), purgatory(1, 'Custom', 0)]);
    expect(rows.map((p) => `${p.broker_id}/${p.name}`)).toEqual(['1/Produce', '1/Heartbeat', '1/Custom', '2/Fetch']);
    expect(purgatoryNames(rows)).toEqual(['Produce', 'Fetch', 'Heartbeat', 'Custom']);
  });
});
