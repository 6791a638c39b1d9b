import { continueState, parseSeekState, readRequestFor, seekQuery } from './seek-params';

describe('message browser seek state', () => {
  it('defaults to the newest records of partition 0, newest first', () => {
    const state = parseSeekState({}, 3);
    expect(state).toEqual({ partition: 0, seek: 'newest', offset: '', ts: '', order: 'newest_first', view: 'auto', filters: {} });
    expect(readRequestFor(state)).toMatchObject({ request: { partition: 0, start: { kind: 'newest' }, direction: 'backward', format: 'base64' }, reverse: false });
  });

  it('clamps an unknown partition to 0', () => {
    expect(parseSeekState({ partition: '7' }, 3).partition).toBe(0);
    expect(parseSeekState({ partition: '2' }, 3).partition).toBe(2);
  });

  it('reads backward from an offset newest first, forward oldest first', () => {
    expect(readRequestFor(parseSeekState({ seek: 'offset', offset: '42' }, 1))).toMatchObject({ request: { start: { kind: 'offset', offset: 42 }, direction: 'backward' }, reverse: false });
    expect(readRequestFor(parseSeekState({ seek: 'offset', offset: '42', order: 'oldest_first' }, 1))).toMatchObject({ request: { direction: 'forward' }, reverse: false });
  });

  it('reverses the tail of the log when oldest first is asked from newest', () => {
    expect(readRequestFor(parseSeekState({ seek: 'newest', order: 'oldest_first' }, 1))).toMatchObject({ request: { direction: 'backward' }, reverse: true });
    expect(readRequestFor(parseSeekState({ seek: 'oldest' }, 1))).toMatchObject({ request: { direction: 'forward' }, reverse: true });
  });

  it('takes a timestamp as ISO 8601 or epoch milliseconds', () => {
    expect(readRequestFor(parseSeekState({ seek: 'timestamp', ts: '2026-01-02T03:04:05Z' }, 1))).toMatchObject({ request: { start: { kind: 'timestamp', timestampMs: Date.UTC(2026, 0, 2, 3, 4, 5) } } });
    expect(readRequestFor(parseSeekState({ seek: 'timestamp', ts: '1700000000000' }, 1))).toMatchObject({ request: { start: { timestampMs: 1_700_000_000_000 } } });
  });

  it('explains a bad offset or timestamp instead of reading', () => {
    expect(readRequestFor(parseSeekState({ seek: 'offset', offset: '-1' }, 1))).toEqual({ error: 'Offset must be a non-negative integer' });
    expect(readRequestFor(parseSeekState({ seek: 'timestamp', ts: 'yesterday' }, 1))).toEqual({ error: expect.stringMatching(/ISO 8601/) });
  });

  it('passes non-empty filters to the read and keeps a known page format', () => {
    const state = parseSeekState({ key_contains: 'alice', value_contains: '', header_contains: 'trace', view: 'hex' }, 1);
    expect(state).toMatchObject({ view: 'hex', filters: { key_contains: 'alice', header_contains: 'trace' } });
    expect(readRequestFor(state)).toMatchObject({ request: { filters: { key_contains: 'alice', header_contains: 'trace' } } });
    expect(parseSeekState({ view: 'bogus' }, 1).view).toBe('auto');
  });

  it('continues a scan from its next offset in the same direction, keeping the filters', () => {
    const state = parseSeekState({ value_contains: 'x', view: 'json' }, 2);
    const backward = continueState(state, 'backward', 899);
    expect(readRequestFor(backward)).toMatchObject({ request: { start: { kind: 'offset', offset: 899 }, direction: 'backward', filters: { value_contains: 'x' } } });
    const forward = continueState(state, 'forward', 250);
    expect(readRequestFor(forward)).toMatchObject({ request: { start: { kind: 'offset', offset: 250 }, direction: 'forward' }, reverse: false });
    expect(Object.fromEntries(seekQuery(forward))).toEqual({ tab: 'messages', partition: '0', seek: 'offset', offset: '250', order: 'oldest_first', view: 'json', value_contains: 'x' });
  });
});
