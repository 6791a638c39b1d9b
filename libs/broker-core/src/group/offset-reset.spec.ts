import { isKafkaError } from '../errors.js';
import { OffsetResetRefused, parseDurationMs, planOffsetReset, type ResetInput } from './offset-reset.js';

// Partition 0: log [10, 100), committed 40. Partition 1: log [0, 5), nothing committed.
const inputs: ResetInput[] = [
  { topic: 't', partition: 1, logStartOffset: 0n, logEndOffset: 5n, committed: null, byTimestamp: null, fromGroup: null },
  { topic: 't', partition: 0, logStartOffset: 10n, logEndOffset: 100n, committed: 40n, byTimestamp: 60n, fromGroup: 7n },
];

const afters = (mode: Parameters<typeof planOffsetReset>[0]) => planOffsetReset(mode, inputs).map((p) => [p.partition, p.before, p.after, p.clampedFrom]);

describe('planOffsetReset', () => {
  it('earliest and latest are the log start and end', () => {
    expect(afters({ mode: 'earliest' })).toEqual([[0, 40n, 10n, null], [1, null, 0n, null]]);
    expect(afters({ mode: 'latest' })).toEqual([[0, 40n, 100n, null], [1, null, 5n, null]]);
  });

  it('current keeps the commit, and takes the log end where none is', () => {
    expect(afters({ mode: 'current' })).toEqual([[0, 40n, 40n, null], [1, null, 5n, null]]);
  });

  it('offset clamps into [log start, log end] as kafka-consumer-groups does', () => {
    expect(afters({ mode: 'offset', offset: 3n })).toEqual([[0, 40n, 10n, 3n], [1, null, 3n, null]]);
    expect(afters({ mode: 'offset', offset: 1000n })).toEqual([[0, 40n, 100n, 1000n], [1, null, 5n, 1000n]]);
  });

  it('shift-by moves from the commit and clamps; a partition without a commit cannot shift', () => {
    const committedOnly = inputs.filter((i) => i.committed !== null);
    expect(planOffsetReset({ mode: 'shift-by', shiftBy: -5n }, committedOnly).map((p) => p.after)).toEqual([35n]);
    expect(planOffsetReset({ mode: 'shift-by', shiftBy: -500n }, committedOnly)[0]).toMatchObject({ after: 10n, clampedFrom: -460n });
    expect(planOffsetReset({ mode: 'shift-by', shiftBy: 500n }, committedOnly)[0]).toMatchObject({ after: 100n, clampedFrom: 540n });
    let thrown: unknown;
    try { planOffsetReset({ mode: 'shift-by', shiftBy: 1n }, inputs); } catch (err) { thrown = err; }
    expect(isKafkaError(thrown, 'INVALID_REQUEST')).toBe(true);
    expect((thrown as Error).message).toContain('Cannot shift offset for partition t-1 since there is no current committed offset');
  });

  it('datetime and duration use the offset found by timestamp, the log end when none is', () => {
    expect(afters({ mode: 'datetime', timestampMs: 1 })).toEqual([[0, 40n, 60n, null], [1, null, 5n, null]]);
    expect(afters({ mode: 'duration', duration: 'PT1H' })).toEqual([[0, 40n, 60n, null], [1, null, 5n, null]]);
  });

  it('from-group copies the other group\'s commits (clamped) and skips partitions it has none for', () => {
    expect(afters({ mode: 'from-group', groupId: 'other' })).toEqual([[0, 40n, 10n, 7n]]);
  });
});

describe('parseDurationMs', () => {
  it('reads Java Duration strings', () => {
    expect(parseDurationMs('PT1H30M')).toBe(5_400_000);
    expect(parseDurationMs('P1DT2S')).toBe(86_402_000);
    expect(parseDurationMs('pt0.5s')).toBe(500);
  });
  it.each(['P', 'PT', '1H', 'PT-1H', 'P1W'])('refuses %s', (text) => {
    expect(() => parseDurationMs(text)).toThrow('ISO-8601 duration');
  });
});

describe('OffsetResetRefused', () => {
  it('says what Kafka\'s tool says', () => {
    expect(new OffsetResetRefused('g1', 'Stable').message).toBe("Assignments can only be reset if the group 'g1' is inactive, but the current state is Stable.");
  });
});
