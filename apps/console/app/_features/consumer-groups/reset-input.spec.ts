import { localToIso, parseResetDraft, type ResetDraft } from './reset-input';

const draft = (fields: Partial<ResetDraft>): ResetDraft => ({ mode: 'earliest', value: '', scope: 'all', topic: '', partitions: '', ...fields });

describe('parseResetDraft', () => {
  it('builds each mode\'s request', () => {
    expect(parseResetDraft(draft({}), true)).toEqual({ ok: true, body: { mode: 'earliest', dry_run: true } });
    expect(parseResetDraft(draft({ mode: 'offset', value: '42', scope: 'topic', topic: 'orders' }), false)).toEqual({
      ok: true, body: { mode: 'offset', offset: 42, topic_name: 'orders', dry_run: false },
    });
    expect(parseResetDraft(draft({ mode: 'shift-by', value: '-10' }), true)).toMatchObject({ ok: true, body: { shift_by: -10 } });
    expect(parseResetDraft(draft({ mode: 'duration', value: 'pt1h' }), true)).toMatchObject({ ok: true, body: { duration: 'PT1H' } });
    expect(parseResetDraft(draft({ mode: 'from-group', value: 'other' }), true)).toMatchObject({ ok: true, body: { from_group: 'other' } });
    expect(parseResetDraft(draft({ mode: 'datetime', value: '2026-12-01T09:00' }), true, -60)).toMatchObject({ ok: true, body: { datetime: '2026-12-01T08:00:00.000Z' } });
    expect(parseResetDraft(draft({ scope: 'partitions', partitions: 'orders:0, orders:3' }), true)).toMatchObject({
      ok: true, body: { partitions: [{ topic_name: 'orders', partition_id: 0 }, { topic_name: 'orders', partition_id: 3 }] },
    });
  });

  it('refuses what the gateway would', () => {
    expect(parseResetDraft(draft({ mode: 'offset' }), true)).toEqual({ ok: false, message: 'offset: mode offset needs offset' });
    expect(parseResetDraft(draft({ mode: 'offset', value: '-1' }), true).ok).toBe(false);
    expect(parseResetDraft(draft({ mode: 'duration', value: '1 hour' }), true).ok).toBe(false);
    expect(parseResetDraft(draft({ scope: 'partitions', partitions: 'orders' }), true)).toEqual({ ok: false, message: 'List partitions as topic:partition, separated by commas.' });
  });

  it('converts local date-times to UTC', () => {
    expect(localToIso('2026-01-02T03:04', 0)).toBe('2026-01-02T03:04:00.000Z');
    expect(localToIso('nope', 0)).toBeUndefined();
  });
});
