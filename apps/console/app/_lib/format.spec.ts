import { formatTimestamp } from './format';

describe('formatTimestamp', () => {
  const at = Date.UTC(2026, 0, 2, 3, 4, 5, 6);

  it('gives ISO 8601 in UTC by default, the same text on the server and in any browser', () => {
    expect(formatTimestamp(at)).toBe('2026-01-02T03:04:05.006Z');
    expect(formatTimestamp(at, 'utc')).toBe('2026-01-02T03:04:05.006Z');
  });

  it("gives the local time with its offset, naming the same instant", () => {
    const local = formatTimestamp(at, 'local');
    expect(local).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.006[+-]\d{2}:\d{2}$/);
    expect(Date.parse(local)).toBe(at);
  });

  it('shows a dash for a missing timestamp (-1) rather than 1969', () => {
    expect(formatTimestamp(-1)).toBe('—');
    expect(formatTimestamp(Number.NaN, 'local')).toBe('—');
  });
});
