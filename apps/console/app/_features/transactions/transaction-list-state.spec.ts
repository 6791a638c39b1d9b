import { formatDuration, parseStateFilter } from './transaction-list-state';

describe('transactions list state', () => {
  it('reads a known state from the URL, and nothing else', () => {
    expect(parseStateFilter({ state: 'Ongoing' })).toBe('Ongoing');
    expect(parseStateFilter({ state: ['CompleteAbort', 'Ongoing'] })).toBe('CompleteAbort');
    expect(parseStateFilter({ state: 'ongoing' })).toBeNull();
    expect(parseStateFilter({})).toBeNull();
  });

  it('words durations in the largest two units that matter', () => {
    expect(formatDuration(-5)).toBe('0 ms');
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(42_400)).toBe('42 s');
    expect(formatDuration(60_000)).toBe('1 min');
    expect(formatDuration(185_000)).toBe('3 min 5 s');
    expect(formatDuration(7_800_000)).toBe('2 h 10 min');
    expect(formatDuration(7_200_000)).toBe('2 h');
  });
});
