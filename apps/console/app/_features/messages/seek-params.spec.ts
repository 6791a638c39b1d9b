import { parseSeekState, readRequestFor } from './seek-params';

describe('message browser seek state', () => {
  it('defaults to the newest records of partition 0, newest first', () => {
    const state = parseSeekState({}, 3);
    expect(state).toEqual({ partition: 0, seek: 'newest', offset: '', ts: '', order: 'newest_first' });
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
});
